import { Injectable } from '@nestjs/common';
import { ReturnContacts } from './return-contacts';
import { ReturnLedger } from './return-ledger';
import { ReturnRefunds } from './return-refunds';
import { ReturnStock } from './return-stock';
import { ReturnableOrders } from './returnable-orders';

const notWired = (port: string) =>
  new Error(`${port} is not wired yet: bind it to its module in returns.module.ts`);

/*
 * Placeholders until the ports are bound to the orders, products, payments, finance and users
 * modules (phase 2 of issue 15). Every call throws.
 */

@Injectable()
export class NotWiredReturnableOrders extends ReturnableOrders {
  orderOf(): never {
    throw notWired('ReturnableOrders');
  }
}

@Injectable()
export class NotWiredReturnStock extends ReturnStock {
  restock(): never {
    throw notWired('ReturnStock');
  }
}

@Injectable()
export class NotWiredReturnRefunds extends ReturnRefunds {
  refund(): never {
    throw notWired('ReturnRefunds');
  }
  markRefunded(): never {
    throw notWired('ReturnRefunds');
  }
}

@Injectable()
export class NotWiredReturnLedger extends ReturnLedger {
  recordRefund(): never {
    throw notWired('ReturnLedger');
  }
}

@Injectable()
export class NotWiredReturnContacts extends ReturnContacts {
  contactsOf(): never {
    throw notWired('ReturnContacts');
  }
}
