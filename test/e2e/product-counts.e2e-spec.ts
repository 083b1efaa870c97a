import { randomUUID } from 'node:crypto';

import { CatalogVersion } from '../../src/modules/products/catalog-cache/catalog-version';
import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

/**
 * `product_counts` (active products per seller and category, kept by triggers on `products`)
 * answers the listing's unfiltered and per-category totals: it must equal a COUNT over the
 * products after any mix of concurrent writes, and move only with the transaction that wrote.
 */
describe('product counters (e2e)', () => {
  let t: TestApp;
  let sellers: Actor[];
  const api = '/api/v1/products';

  beforeAll(async () => {
    t = await createTestApp();
    sellers = [await makeUser(t.http, 'seller'), await makeUser(t.http, 'seller')];
  });
  afterAll(() => t.close());

  /** The counters as stored, and as a COUNT over the products says they should be. */
  const counters = async () => {
    const stored: { seller_id: string; category: string; n: number | string }[] = await t.ds.query(
      'SELECT seller_id, category, active AS n FROM product_counts WHERE active <> 0',
    );
    const counted: { seller_id: string; category: string; n: number | string }[] = await t.ds.query(
      `SELECT seller_id, category, COUNT(*) AS n FROM products
         WHERE is_active = ${t.db === 'postgres' ? 'true' : '1'} GROUP BY seller_id, category`,
    );
    const norm = (rows: typeof stored) =>
      rows.map((r) => `${r.seller_id}|${r.category}|${Number(r.n)}`).sort();
    return { stored: norm(stored), counted: norm(counted) };
  };

  /** The listing's total as the API answers it after a write (the cached one is dropped). */
  const total = async (query: Record<string, string> = {}) => {
    t.app.get(CatalogVersion).bump();
    const res = await t.http.get(api).query({ ...query, page_size: 1 });
    expect(res.status).toBe(200);
    return res.body.total as number;
  };

  const body = (i: number, category: string) => ({
    name: `Счётчик ${i}`,
    description: 'товар для счётчиков',
    price: 100 + i,
    quantity: 3,
    category,
  });

  it('match a COUNT after concurrent creates, edits, deactivations and category moves', async () => {
    const categories = ['sports', 'books', 'toys'];
    const created = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const seller = sellers[i % 2];
        const res = await t.http
          .post(api)
          .set(seller.auth)
          .send(body(i, categories[i % 3]));
        expect(res.status).toBe(201);
        return { id: res.body.id as string, seller };
      }),
    );
    const first = await counters();
    expect(first.stored).toEqual(first.counted);
    // at once: deactivate a third, move a third to another category, reactivate some of the
    // deactivated ones, and edit the rest without touching what is counted
    await Promise.all(
      created.map(async ({ id, seller }, i) => {
        if (i % 3 === 0) {
          await t.http.delete(`${api}/${id}`).set(seller.auth).expect(204);
          if (i % 2 === 0) {
            await t.http.put(`${api}/${id}`).set(seller.auth).send({ is_active: true }).expect(200);
          }
        } else if (i % 3 === 1) {
          await t.http.put(`${api}/${id}`).set(seller.auth).send({ category: 'home' }).expect(200);
        } else {
          await t.http
            .put(`${api}/${id}`)
            .set(seller.auth)
            .send({ price: 999, is_active: true, quantity: 7 })
            .expect(200);
        }
      }),
    );
    const c = await counters();
    expect(c.stored).toEqual(c.counted);
    expect(c.stored.length).toBeGreaterThan(0);
    // and the API's totals are those counts
    const active = await t.ds.getRepository(Product).countBy({ isActive: true });
    expect(await total()).toBe(active);
    for (const category of [...categories, 'home']) {
      const n = await t.ds.getRepository(Product).countBy({ isActive: true, category } as never);
      expect(await total({ category })).toBe(n);
    }
    const mine = await t.ds
      .getRepository(Product)
      .countBy({ isActive: true, sellerId: sellers[0].id, category: 'home' });
    expect(await total({ category: 'home', seller_id: sellers[0].id })).toBe(mine);
    expect(mine).toBeGreaterThan(0);
  });

  it('move only when the writing transaction commits (a rolled-back insert counts nothing)', async () => {
    const before = await total();
    await expect(
      t.ds.transaction(async (em) => {
        await em.getRepository(Product).insert({
          id: randomUUID(),
          sellerId: sellers[0].id,
          name: 'Откат',
          description: '',
          price: 100,
          quantity: 1,
          category: 'other',
          imageUrls: [],
          isActive: true,
          nameSearch: 'откат',
          searchText: 'откат ',
        });
        // inside the transaction the counter already moved with the row
        const [row]: { n: number | string }[] = await em.query(
          'SELECT COALESCE(SUM(active), 0) AS n FROM product_counts',
        );
        expect(Number(row.n)).toBe(before + 1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await total()).toBe(before);
    const c = await counters();
    expect(c.stored).toEqual(c.counted);
  });

  it('count a product written straight into the table and one deleted from it', async () => {
    const before = await total({ category: 'food' });
    const p = await insertProduct(t.ds, sellers[1].id, { category: 'food' });
    await insertProduct(t.ds, sellers[1].id, { category: 'food', isActive: false });
    expect(await total({ category: 'food' })).toBe(before + 1);
    await t.ds.query(
      `DELETE FROM stock_movements WHERE product_id = ${t.db === 'postgres' ? '$1' : '?'}`,
      [p.id],
    );
    await t.ds.getRepository(Product).delete({ id: p.id });
    expect(await total({ category: 'food' })).toBe(before);
    const c = await counters();
    expect(c.stored).toEqual(c.counted);
  });
});
