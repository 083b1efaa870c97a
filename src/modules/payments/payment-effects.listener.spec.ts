import type { ParcelRefunds } from './parcel-refunds.service';
import { PaymentEffectsListener } from './payment-effects.listener';
import type { PaymentSettlement } from './payment-settlement.service';

describe('PaymentEffectsListener', () => {
  const make = () => {
    const settlement = {
      refundOrderPayment: jest.fn().mockResolvedValue(undefined),
      completeCashOnDelivery: jest.fn().mockResolvedValue(undefined),
    };
    const parcels = { payFresh: jest.fn().mockResolvedValue(undefined) };
    return {
      settlement,
      parcels,
      listener: new PaymentEffectsListener(
        settlement as unknown as PaymentSettlement,
        parcels as unknown as ParcelRefunds,
      ),
    };
  };
  const changed = (orderStatus: string) => ({
    orderId: 'o1',
    actorId: 'a1',
    orderStatus,
    fulfillmentStatus: orderStatus,
    sellerIds: ['s1'],
  });

  it('refunds on cancel, on an order cancelled or refunded through the workflow', async () => {
    const { settlement, listener } = make();
    await listener.onCancelled({ orderId: 'o1', actorId: 'a1' });
    await listener.onStatusChanged(changed('cancelled'));
    await listener.onStatusChanged(changed('refunded'));
    expect(settlement.refundOrderPayment).toHaveBeenCalledTimes(3);
    expect(settlement.refundOrderPayment).toHaveBeenCalledWith('o1', 'a1');
    expect(settlement.completeCashOnDelivery).not.toHaveBeenCalled();
  });

  it('completes cash on delivery on delivered; ignores other statuses', async () => {
    const { settlement, listener } = make();
    for (const s of ['pending', 'confirmed', 'processing', 'shipped']) {
      await listener.onStatusChanged(changed(s));
    }
    expect(settlement.completeCashOnDelivery).not.toHaveBeenCalled();
    await listener.onStatusChanged(changed('delivered'));
    expect(settlement.completeCashOnDelivery).toHaveBeenCalledWith('o1', 'a1');
    expect(settlement.refundOrderPayment).not.toHaveBeenCalled();
  });

  it('never turns a failure into the order request’s error', async () => {
    const { settlement, listener } = make();
    settlement.refundOrderPayment.mockRejectedValueOnce(new Error('db down'));
    jest.spyOn(listener['logger'], 'error').mockImplementation(() => undefined);
    await expect(listener.onCancelled({ orderId: 'o1', actorId: 'a1' })).resolves.toBeUndefined();
  });
});
