import type { Tx } from '../../../database/unit-of-work';

export interface ReturnContact {
  email: string;
  firstName: string;
}

/**
 * The port that finds where to send a return's mails (bound to the users module in phase 2).
 *
 * Contract for the implementer: the email and first name of each of the given users that exists
 * (unknown ids are left out). A read only; it may run inside the caller's transaction (`tx`
 * given) or outside it.
 */
export abstract class ReturnContacts {
  abstract contactsOf(userIds: string[], tx?: Tx): Promise<Map<string, ReturnContact>>;
}
