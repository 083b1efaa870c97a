import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import type { ReportRange } from '../../database/report-window';
import type { PeriodRow, ProductSalesRow } from '../orders/order-analytics.service';
import type { ProductLabel } from '../products/product-analytics.service';
import { AnalyticsService, DASHBOARD_TOP_LIMIT, DEFAULT_TOP_LIMIT } from './analytics.service';

const admin: Actor = { id: 'a1', role: 'admin', email: 'a@b.kz', firstName: 'A', lastName: 'B' };
const seller: Actor = { id: 's1', role: 'seller', email: 's@b.kz', firstName: 'S', lastName: 'B' };
const BY_STATUS = {
  pending: 2,
  confirmed: 1,
  processing: 0,
  shipped: 0,
  delivered: 3,
  cancelled: 1,
  refunded: 0,
};

/** The owners' read services, answering what each test sets. */
function setup() {
  const data = {
    lines: [] as PeriodRow[],
    delivery: new Map<string, number>(),
    sold: [] as ProductSalesRow[],
    fresh: new Map<string, number>(),
  };
  const orders = {
    set lines(v: PeriodRow[]) {
      data.lines = v;
    },
    set delivery(v: Map<string, number>) {
      data.delivery = v;
    },
    set sold(v: ProductSalesRow[]) {
      data.sold = v;
    },
    get sold(): ProductSalesRow[] {
      return data.sold;
    },
    linesByPeriod: jest.fn(async (_r: ReportRange, _seller?: string) => data.lines),
    deliveryByPeriod: jest.fn(async (_r: ReportRange) => data.delivery),
    topProducts: jest.fn(async (_r: ReportRange | null, limit: number, _seller?: string) =>
      data.sold.slice(0, limit),
    ),
    salesPerProduct: jest.fn(async (_r: ReportRange) => data.sold),
    activeBuyers: jest.fn(async (_r: ReportRange) => 4),
    totalRevenue: jest.fn(async () => 1_234_56),
    ordersByStatus: jest.fn(async () => ({ ...BY_STATUS })),
  };
  const users = {
    set fresh(v: Map<string, number>) {
      data.fresh = v;
    },
    counts: jest.fn(async () => ({
      byRole: { customer: 7, seller: 2, admin: 1 },
      total: 10,
      active: 9,
    })),
    registrations: jest.fn(async (_r: ReportRange) => data.fresh),
  };
  const products = {
    known: new Map<string, ProductLabel>(),
    counts: jest.fn(async () => ({ total: 12, active: 11 })),
    labels: jest.fn(async (ids: string[]) => {
      const m = new Map<string, ProductLabel>();
      for (const id of ids) if (products.known.has(id)) m.set(id, products.known.get(id)!);
      return m;
    }),
  };
  const service = new AnalyticsService(orders as never, users as never, products as never);
  return { orders, users, products, service };
}

describe('AnalyticsService', () => {
  describe('date ranges and buckets', () => {
    it('asks for [from, to + 1 day) of local days (Asia/Almaty) and fills every day, delivery added to revenue', async () => {
      const { service, orders } = setup();
      orders.lines = [
        { key: '2026-11-02', amount: 10_000, orders: 2, units: 3 },
        { key: '2026-11-04', amount: 5_050, orders: 1, units: 1 },
      ];
      orders.delivery = new Map([['2026-11-02', 1_500]]);
      const r = await service.sales(admin, { from: '2026-11-02', to: '2026-11-04' });
      expect(orders.linesByPeriod.mock.calls).toEqual([
        [
          {
            from: new Date('2026-11-01T19:00:00Z'),
            to: new Date('2026-11-04T19:00:00Z'),
            period: 'day',
            tz: 'Asia/Almaty',
          },
        ],
      ]);
      expect(r.series).toEqual([
        { period_start: '2026-11-02', revenue: 115, orders: 2 },
        { period_start: '2026-11-03', revenue: 0, orders: 0 },
        { period_start: '2026-11-04', revenue: 50.5, orders: 1 },
      ]);
      expect(r.total_revenue).toBe(165.5);
      expect(r.orders_count).toBe(3);
      expect(r.average_order_value).toBe(55.17); // 16 550 / 3 = 5 516.67 tiyn, rounded
    });

    it('buckets weeks from the Monday before `from`, months from the 1st', async () => {
      const { service } = setup();
      const weeks = await service.sales(admin, {
        from: '2026-12-31',
        to: '2027-01-12',
        period: 'week',
      });
      expect(weeks.series.map((p) => p.period_start)).toEqual([
        '2026-12-28',
        '2027-01-04',
        '2027-01-11',
      ]);
      const months = await service.sales(admin, {
        from: '2026-11-15',
        to: '2027-01-02',
        period: 'month',
      });
      expect(months.series.map((p) => p.period_start)).toEqual([
        '2026-11-01',
        '2026-12-01',
        '2027-01-01',
      ]);
    });

    it('refuses from after to (400) before asking anybody', async () => {
      const { service, orders } = setup();
      const refused = service.sales(admin, { from: '2026-11-05', to: '2026-11-01' });
      await expect(refused).rejects.toBeInstanceOf(DomainError);
      await expect(refused).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(orders.linesByPeriod).not.toHaveBeenCalled();
    });

    it('defaults to the last 30 days by day, today included', async () => {
      const { service } = setup();
      const r = await service.sales(admin, {});
      expect(r.series).toHaveLength(30);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(
        new Date(),
      );
      expect(r.series.at(-1)!.period_start).toBe(today);
    });
  });

  describe('role scoping', () => {
    it('a seller’s figures are their own lines only, without delivery', async () => {
      const { service, orders, products } = setup();
      orders.lines = [{ key: '2026-11-02', amount: 20_000, orders: 2, units: 5 }];
      orders.delivery = new Map([['2026-11-02', 99_999]]); // not the seller's: must not count
      orders.sold = [{ productId: 'p1', units: 5, revenue: 20_000 }];
      products.known.set('p1', { name: 'Чайник', category: 'home' });
      const r = await service.sellerSales(seller, { from: '2026-11-02', to: '2026-11-02' });
      expect(orders.linesByPeriod).toHaveBeenCalledWith(expect.anything(), 's1');
      expect(orders.topProducts).toHaveBeenCalledWith(expect.anything(), DEFAULT_TOP_LIMIT, 's1');
      expect(orders.deliveryByPeriod).not.toHaveBeenCalled();
      expect(r).toMatchObject({ total_revenue: 200, orders_count: 2, units_sold: 5 });
      expect(r.top_products).toEqual([
        { product_id: 'p1', name: 'Чайник', units_sold: 5, revenue: 200 },
      ]);
    });

    it('the platform reports ask for every seller’s lines', async () => {
      const { service, orders } = setup();
      await service.sales(admin, {});
      await service.dashboard(admin, {});
      for (const call of orders.linesByPeriod.mock.calls) expect(call[1]).toBeUndefined();
      for (const call of orders.topProducts.mock.calls) expect(call[2]).toBeUndefined();
    });
  });

  describe('products', () => {
    it('takes the top from the head of the sales and sums categories, richest first', async () => {
      const { service, orders, products } = setup();
      orders.sold = [
        { productId: 'p1', units: 9, revenue: 9_000 },
        { productId: 'gone', units: 8, revenue: 1 },
        { productId: 'p2', units: 5, revenue: 50_000 },
        { productId: 'p3', units: 1, revenue: 10_000 },
        { productId: 'p4', units: 1, revenue: 31_000 },
      ];
      products.known.set('p1', { name: 'Книга', category: 'books' });
      products.known.set('p2', { name: 'Плита', category: 'home' });
      products.known.set('p3', { name: 'Роман', category: 'books' });
      products.known.set('p4', { name: 'Мяч', category: 'sports' });
      const r = await service.products(admin, { limit: 2 });
      expect(r.top_products.map((p) => p.product_id)).toEqual(['p1', 'p2']);
      expect(r.by_category).toEqual([
        { category: 'home', units_sold: 5, revenue: 500 },
        { category: 'sports', units_sold: 1, revenue: 310 },
        { category: 'books', units_sold: 10, revenue: 190 },
      ]);
      expect(orders.salesPerProduct).toHaveBeenCalledTimes(1);
      expect(products.labels).toHaveBeenCalledTimes(1);
    });

    it('orders categories of equal revenue by name and defaults the top to 10', async () => {
      const { service, orders, products } = setup();
      orders.sold = Array.from({ length: 12 }, (_, i) => ({
        productId: `p${i}`,
        units: 12 - i,
        revenue: 1_000,
      }));
      orders.sold.forEach((r, i) =>
        products.known.set(r.productId, { name: r.productId, category: i % 2 ? 'toys' : 'food' }),
      );
      const r = await service.products(admin, {});
      expect(r.top_products).toHaveLength(DEFAULT_TOP_LIMIT);
      expect(r.by_category.map((c) => c.category)).toEqual(['food', 'toys']);
    });
  });

  it('users: totals by role, registrations per period, active buyers of the range', async () => {
    const { service, users } = setup();
    users.fresh = new Map([['2026-11-03', 2]]);
    const r = await service.users(admin, { from: '2026-11-02', to: '2026-11-03' });
    expect(r).toEqual({
      total_users: 10,
      users_by_role: { customer: 7, seller: 2, admin: 1 },
      new_users: [
        { period_start: '2026-11-02', count: 0 },
        { period_start: '2026-11-03', count: 2 },
      ],
      active_buyers: 4,
    });
  });

  it('dashboard: the range’s sales, its top 5 and the registrations summed', async () => {
    const { service, orders, users, products } = setup();
    users.fresh = new Map([
      ['2026-11-02', 2],
      ['2026-11-03', 3],
    ]);
    orders.sold = Array.from({ length: 8 }, (_, i) => ({
      productId: `p${i}`,
      units: 8 - i,
      revenue: 1,
    }));
    orders.sold.forEach((r) => products.known.set(r.productId, { name: 'x', category: 'other' }));
    const r = await service.dashboard(admin, { from: '2026-11-02', to: '2026-11-03' });
    expect(r.users).toMatchObject({ total_users: 10, new_users: 5, active_buyers: 4 });
    expect(r.top_products).toHaveLength(DASHBOARD_TOP_LIMIT);
    expect(r.sales.series).toHaveLength(2);
  });

  it('stats: all-time counts, orders summed over statuses, revenue in KZT', async () => {
    const { service } = setup();
    expect(await service.stats()).toEqual({
      total_users: 10,
      active_users: 9,
      total_products: 12,
      active_products: 11,
      total_orders: 7,
      total_revenue: 1234.56,
      users_by_role: { customer: 7, seller: 2, admin: 1 },
      orders_by_status: BY_STATUS,
    });
  });

  it('topProductsAllTime asks for all time (no range)', async () => {
    const { service, orders, products } = setup();
    orders.sold = [{ productId: 'p1', units: 1, revenue: 100 }];
    products.known.set('p1', { name: 'Чай', category: 'food' });
    expect(await service.topProductsAllTime(5)).toEqual([
      { product_id: 'p1', name: 'Чай', units_sold: 1, revenue: 1 },
    ]);
    expect(orders.topProducts).toHaveBeenCalledWith(null, 5, undefined);
  });
});
