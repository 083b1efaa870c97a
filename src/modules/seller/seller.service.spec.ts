import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { LOW_STOCK_THRESHOLD } from './dto/seller.dto';
import { SellerService } from './seller.service';

const seller: Actor = { id: 's1', role: 'seller', email: 's@b.kz', firstName: 'S', lastName: 'B' };

function setup() {
  const calls: string[] = [];
  const products = {
    page: jest.fn(),
    lowStockForSeller: jest.fn(async () => {
      calls.push('lowStock');
      return [{ id: 'p1', quantity: 2 }];
    }),
  };
  const orders = { listForSeller: jest.fn(async () => ({ items: [], total: 0 })) };
  const report = { total_revenue: 10, orders_count: 1, units_sold: 2, top_products: [] };
  const analytics = {
    sellerSales: jest.fn(async (_a: Actor, q: { from?: string; to?: string }) => {
      calls.push('sales');
      if (q.from && q.to && q.from > q.to) throw new DomainError('BAD_REQUEST', 'from > to');
      return report;
    }),
  };
  const service = new SellerService(products as never, orders as never, analytics as never);
  return { service, products, orders, analytics, calls, report };
}

describe('SellerService', () => {
  it('lists the orders holding the seller’s own items through the orders module', async () => {
    const { service, orders } = setup();
    await service.listOrders(seller, { status: 'pending', page: 2 });
    expect(orders.listForSeller).toHaveBeenCalledWith(seller, { status: 'pending', page: 2 });
  });

  it('the analytics are the seller’s own sales plus own low-stock products', async () => {
    const { service, products, analytics, report } = setup();
    const r = await service.analyticsFor(seller, { from: '2026-11-01', to: '2026-11-30' });
    expect(analytics.sellerSales).toHaveBeenCalledWith(seller, {
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(products.lowStockForSeller).toHaveBeenCalledWith(seller, LOW_STOCK_THRESHOLD);
    expect(r).toEqual({ ...report, low_stock: [{ id: 'p1', quantity: 2 }] });
  });

  it('validates the range before reading the stock', async () => {
    const { service, products, calls } = setup();
    await expect(
      service.analyticsFor(seller, { from: '2026-11-30', to: '2026-11-01' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(products.lowStockForSeller).not.toHaveBeenCalled();
    expect(calls).toEqual(['sales']);
  });
});
