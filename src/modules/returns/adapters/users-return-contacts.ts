import { Injectable } from '@nestjs/common';

import type { Tx } from '../../../database/unit-of-work';
import { UsersService } from '../../users/users.service';
import type { ReturnContact } from '../ports/return-contacts';
import { ReturnContacts } from '../ports/return-contacts';

/** ReturnContacts bound to the users module. */
@Injectable()
export class UsersReturnContacts extends ReturnContacts {
  constructor(private readonly users: UsersService) {
    super();
  }

  contactsOf(userIds: string[], tx?: Tx): Promise<Map<string, ReturnContact>> {
    return this.users.contactMapOf(userIds, tx);
  }
}
