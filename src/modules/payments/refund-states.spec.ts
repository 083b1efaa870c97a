import { REFUND_STATUSES } from './payment-refund.entity';
import { REFUND_METHODS, storedStatuses, WIRE_REFUND_STATUSES, wireRefund } from './refund-states';

describe('refund states on the wire', () => {
  it('a manual refund is pending until marked paid, then completed', () => {
    expect(wireRefund('manual')).toEqual({ method: 'manual', status: 'pending' });
    expect(wireRefund('paid')).toEqual({ method: 'manual', status: 'completed' });
    expect(wireRefund('failed')).toEqual({ method: 'provider', status: 'failed' });
  });

  it('the admin queue (pending manual) is exactly the stored `manual` rows', () => {
    expect(storedStatuses('pending', 'manual')).toEqual(['manual']);
    expect(storedStatuses('pending')).toEqual(['pending', 'manual']);
    expect(storedStatuses(undefined, 'manual')).toEqual(['manual', 'paid']);
    expect(storedStatuses('failed', 'manual')).toEqual([]);
    expect(storedStatuses()).toBeUndefined();
  });

  it('every pair of filters selects the stored statuses that show as it', () => {
    for (const status of WIRE_REFUND_STATUSES) {
      for (const method of REFUND_METHODS) {
        const picked = storedStatuses(status, method)!;
        for (const s of REFUND_STATUSES) {
          expect(picked.includes(s)).toBe(
            wireRefund(s).status === status && wireRefund(s).method === method,
          );
        }
      }
    }
  });
});
