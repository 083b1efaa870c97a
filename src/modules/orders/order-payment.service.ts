import { Injectable } from '@nestjs/common';

/**
 * The order side of payments (owned by the payments work): finding an order to pay and applying
 * a payment's outcome to the order inside the payment's transaction.
 */
@Injectable()
export class OrderPaymentService {}
