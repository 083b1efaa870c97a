import type { DeliveryMethod } from './order.entity';

/** Cost of one seller's parcel, in tiyn. */
export const PARCEL_COST_TIYN: Record<DeliveryMethod, number> = {
  standard: 1500_00,
  express: 3000_00,
  same_day: 5000_00,
};
