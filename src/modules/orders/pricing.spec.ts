import { PARCEL_COST_TIYN } from './delivery';
import { DELIVERY_METHODS } from './order.entity';
import { priceOrder, PricingLine } from './pricing';

const line = (
  productId: string,
  sellerId: string,
  price: number,
  quantity: number,
): PricingLine => ({
  productId,
  quantity,
  product: { name: `name of ${productId}`, sellerId, price },
});

describe('priceOrder', () => {
  it('prices each line at price × quantity, in the order of the cart', () => {
    const p = priceOrder([line('p2', 's1', 1999_50, 3), line('p1', 's1', 100, 1)], 'standard');
    expect(p.lines).toEqual([
      {
        productId: 'p2',
        productName: 'name of p2',
        sellerId: 's1',
        quantity: 3,
        price: 1999_50,
        subtotal: 5998_50,
      },
      {
        productId: 'p1',
        productName: 'name of p1',
        sellerId: 's1',
        quantity: 1,
        price: 100,
        subtotal: 100,
      },
    ]);
    expect(p.itemsTotal).toBe(5998_50 + 100);
  });

  it('makes one parcel per seller, in order of first appearance, each with one delivery cost', () => {
    const p = priceOrder(
      [line('a', 's2', 1000, 1), line('b', 's1', 500, 2), line('c', 's2', 250, 4)],
      'express',
    );
    expect(p.parcels).toEqual([
      { sellerId: 's2', itemsTotal: 2000, deliveryCost: 3000_00 },
      { sellerId: 's1', itemsTotal: 1000, deliveryCost: 3000_00 },
    ]);
    expect(p.deliveryCost).toBe(2 * 3000_00);
    expect(p.itemsTotal).toBe(3000);
    expect(p.totalAmount).toBe(3000 + 6000_00);
  });

  it.each(DELIVERY_METHODS)('charges the %s parcel cost per seller', (method) => {
    const one = priceOrder([line('a', 's1', 1, 1)], method);
    const three = priceOrder(
      [line('a', 's1', 1, 1), line('b', 's2', 1, 1), line('c', 's3', 1, 1)],
      method,
    );
    expect(one.deliveryCost).toBe(PARCEL_COST_TIYN[method]);
    expect(three.deliveryCost).toBe(3 * PARCEL_COST_TIYN[method]);
    expect(three.totalAmount).toBe(3 + 3 * PARCEL_COST_TIYN[method]);
  });

  it('keeps the parcels adding up to the order: items and delivery', () => {
    const lines = [line('a', 's1', 333, 7), line('b', 's2', 12_345_67, 2), line('c', 's1', 1, 99)];
    const p = priceOrder(lines, 'same_day');
    expect(p.parcels.reduce((a, s) => a + s.itemsTotal, 0)).toBe(p.itemsTotal);
    expect(p.parcels.reduce((a, s) => a + s.deliveryCost, 0)).toBe(p.deliveryCost);
    expect(p.totalAmount).toBe(p.itemsTotal + p.deliveryCost);
  });

  it('is exact in integer tiyn where floats would drift (0.1 + 0.2)', () => {
    const p = priceOrder([line('a', 's1', 10, 1), line('b', 's1', 20, 1)], 'standard');
    expect(p.itemsTotal).toBe(30);
    expect(Number.isInteger(p.totalAmount)).toBe(true);
  });

  it('refuses a price or quantity that is not a whole number of tiyn', () => {
    expect(() => priceOrder([line('a', 's1', 10.5, 1)], 'standard')).toThrow(RangeError);
    expect(() => priceOrder([line('a', 's1', 10, 1.5)], 'standard')).toThrow(RangeError);
  });

  it('prices nothing as nothing (checkout refuses an empty cart before pricing)', () => {
    expect(priceOrder([], 'standard')).toEqual({
      lines: [],
      parcels: [],
      itemsTotal: 0,
      deliveryCost: 0,
      totalAmount: 0,
    });
  });
});
