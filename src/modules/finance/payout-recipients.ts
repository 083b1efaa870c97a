import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';

/** A seller as payouts need them: whether their shop may be paid, its bank details, a mailbox. */
export interface PayoutRecipient {
  sellerId: string;
  /** The shop is `approved` (only approved shops are paid). */
  approved: boolean;
  shopName: string;
  /** 12 digits; null while the shop has not filled it in. */
  binIin: string | null;
  iban: string | null;
  bik: string | null;
  kbe: string | null;
  /** The seller's account email and first name, for the payout mails. */
  email: string;
  firstName: string;
}

/**
 * The port through which finance asks who the sellers are and where their money goes. The finance
 * module owns the question; the shops module answers it (it owns the shops table and asks users
 * for the email). Sellers that do not exist are absent from the answer, so callers can 404.
 * `tx` is passed when the answer must be read in the caller's transaction (payout creation copies
 * the details at that moment).
 *
 * Phase 1 binds it to `InMemoryPayoutRecipients`, which the e2e tests fill in; at the merge the
 * lead binds it to the shops module's implementation in `finance.module.ts`.
 */
export abstract class PayoutRecipients {
  abstract recipientsOf(sellerIds: string[], tx?: Tx): Promise<PayoutRecipient[]>;
}

/** A recipients directory held in memory (demo and tests): `register` a seller to make them known. */
@Injectable()
export class InMemoryPayoutRecipients extends PayoutRecipients {
  private readonly known = new Map<string, PayoutRecipient>();

  register(r: PayoutRecipient): void {
    this.known.set(r.sellerId, { ...r });
  }

  recipientsOf(sellerIds: string[]): Promise<PayoutRecipient[]> {
    return Promise.resolve(
      sellerIds.flatMap((id) => {
        const r = this.known.get(id);
        return r ? [{ ...r }] : [];
      }),
    );
  }
}
