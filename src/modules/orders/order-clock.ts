import { Injectable } from '@nestjs/common';

/**
 * The time of the order workflow's moves (a fulfillment's `updated_at`, its history row, hence a
 * delivered parcel's sale and PAYOUT_HOLD), behind a port so that specs and the demo seed can set
 * it (`npm run seed` delivers a demo seller's first orders weeks back, so that their money is
 * available).
 */
@Injectable()
export class OrderClock {
  now(): Date {
    return new Date();
  }
}
