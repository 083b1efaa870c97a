import { Order } from '../../src/modules/orders/order.entity';
import { OrdersService } from '../../src/modules/orders/orders.service';
import { Product } from '../../src/modules/products/product.entity';
import { StockMovement } from '../../src/modules/products/stock-movement.entity';
import { User } from '../../src/modules/users/user.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { checkout, DEFAULT_DELIVERY } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';
import { recordQueries } from '../support/queries';

const ORDERS = '/api/v1/orders';
/** A statement of the outbox's own sender (claim, read, mark sent), not of the request. */
const outboxSweep = (q: string) =>
  /^\s*(SELECT|UPDATE)\b[^]*?\b"?mail_outbox"?/.test(q) && !/^\s*WITH/.test(q);
/** Statements of a one-line checkout outside the outbox: user, cart, stock + ledger, 4 order rows, cart delete. */
const ONE_LINE_CHECKOUT = 9;

describe('orders: checkout and reads (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  let seller2: Actor;
  let admin: Actor;

  beforeAll(async () => {
    // the payment recovery sweep (every 5 s) would land its statements inside a counted window
    t = await createTestApp({ PAYMENT_RECOVERY_MS: '3600000' });
    seller = await makeUser(t.http, 'seller');
    seller2 = await makeUser(t.http, 'seller');
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  const addToCart = (who: Actor, product_id: string, quantity = 1) =>
    t.http.post('/api/v1/cart/items').set(who.auth).send({ product_id, quantity });
  const stockOf = async (id: string) =>
    (await t.ds.getRepository(Product).findOneByOrFail({ id })).quantity;

  describe('POST /orders', () => {
    it('requires a token', async () => {
      expect((await t.http.post(ORDERS).send(DEFAULT_DELIVERY)).status).toBe(401);
    });

    it('empty cart → 400', async () => {
      const u = await makeUser(t.http, 'customer');
      const res = await t.http.post(ORDERS).set(u.auth).send(DEFAULT_DELIVERY);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('CART_EMPTY');
    });

    it('invalid bodies → 400 and nothing changes', async () => {
      const u = await makeUser(t.http, 'customer');
      const p = await insertProduct(t.ds, seller.id, { quantity: 5 });
      await addToCart(u, p.id, 2);
      for (const body of [
        {},
        { ...DEFAULT_DELIVERY, delivery_method: 'teleport' },
        { ...DEFAULT_DELIVERY, delivery_address: '   ' },
        { ...DEFAULT_DELIVERY, phone: 'call me' },
        { ...DEFAULT_DELIVERY, total_amount: 1 },
        { ...DEFAULT_DELIVERY, comment: 5 },
      ]) {
        const res = await t.http.post(ORDERS).set(u.auth).send(body);
        expect(res.status).toBe(400);
      }
      expect(await stockOf(p.id)).toBe(5);
      expect(await t.ds.getRepository(Order).countBy({ userId: u.id })).toBe(0);
    });

    it('a single-seller order: 201 with every field, prices in KZT exact, stock taken, cart emptied', async () => {
      const u = await makeUser(t.http, 'customer');
      const a = await insertProduct(t.ds, seller.id, { price: 0.1, quantity: 10, name: 'Кумыс' });
      const b = await insertProduct(t.ds, seller.id, { price: 0.2, quantity: 10, name: 'Баурсак' });
      await addToCart(u, a.id, 1);
      await addToCart(u, b.id, 1);
      const res = await t.http
        .post(ORDERS)
        .set(u.auth)
        .send({ ...DEFAULT_DELIVERY, comment: 'Позвоните заранее' });
      expect(res.status).toBe(201);
      const o = res.body;
      expect(Object.keys(o).sort()).toEqual(
        [
          'id',
          'user_id',
          'status',
          'items',
          'items_total',
          'delivery_method',
          'delivery_cost',
          'total_amount',
          'delivery_address',
          'phone',
          'comment',
          'tracking_number',
          'payment_status',
          'fulfillments',
          'status_history',
          'created_at',
          'updated_at',
        ].sort(),
      );
      expect(o).toMatchObject({
        user_id: u.id,
        status: 'pending',
        items_total: 0.3,
        delivery_method: 'standard',
        delivery_cost: 1500,
        total_amount: 1500.3,
        delivery_address: DEFAULT_DELIVERY.delivery_address,
        phone: DEFAULT_DELIVERY.phone,
        comment: 'Позвоните заранее',
        payment_status: null,
      });
      expect(o.items).toHaveLength(2);
      expect(o.items.find((i: any) => i.product_id === a.id)).toMatchObject({
        product_name: 'Кумыс',
        seller_id: seller.id,
        quantity: 1,
        price: 0.1,
        subtotal: 0.1,
      });
      expect(o.fulfillments).toEqual([
        {
          seller_id: seller.id,
          status: 'pending',
          tracking_number: null,
          delivery_cost: 1500,
          items_total: 0.3,
        },
      ]);
      expect(o.status_history).toHaveLength(1);
      expect(o.status_history[0]).toMatchObject({
        status: 'pending',
        seller_id: seller.id,
        changed_by: u.id,
      });
      expect(await stockOf(a.id)).toBe(9);
      expect((await t.http.get('/api/v1/cart').set(u.auth)).body.items).toEqual([]);
      // the stock ledger has the sale, and quantity = sum of movements
      const moves = await t.ds.getRepository(StockMovement).findBy({ productId: a.id });
      expect(moves.map((m) => [m.reason, m.delta]).sort()).toEqual([
        ['initial', 10],
        ['sale', -1],
      ]);
      expect(moves.find((m) => m.reason === 'sale')).toMatchObject({
        orderId: o.id,
        actorId: u.id,
      });
    });

    it('answers with exactly what a later GET returns (lines by name, parcels by seller)', async () => {
      const u = await makeUser(t.http, 'customer');
      const names = ['яблоко', 'Apple', 'banana', 'Ёлка', 'Қымыз', 'apple'];
      const products = [];
      for (const [i, name] of names.entries())
        products.push(await insertProduct(t.ds, i % 2 ? seller.id : seller2.id, { name }));
      const placed = await checkout(t.http, u, products, { delivery_method: 'express' });
      const read = await t.http.get(`${ORDERS}/${placed.id}`).set(u.auth);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(placed);
      expect(placed.items.map((i: any) => i.product_name)).toEqual(
        ['Apple', 'apple', 'banana', 'Ёлка', 'Қымыз', 'яблоко'].sort((a, b) => (a < b ? -1 : 1)),
      );
      const sellers = placed.fulfillments.map((f: any) => f.seller_id);
      expect(sellers).toEqual([...sellers].sort());
      expect(placed.created_at).toBe(placed.updated_at);
    });

    it.each([
      ['standard', 1500],
      ['express', 3000],
      ['same_day', 5000],
    ])('delivery %s costs %d per seller parcel', async (method, cost) => {
      const u = await makeUser(t.http, 'customer');
      const a = await insertProduct(t.ds, seller.id, { price: 100 });
      const b = await insertProduct(t.ds, seller2.id, { price: 200 });
      const c = await insertProduct(t.ds, seller2.id, { price: 300 });
      const o = await checkout(t.http, u, [a, b, c], { delivery_method: method });
      expect(o.delivery_cost).toBe(2 * cost);
      expect(o.total_amount).toBe(600 + 2 * cost);
      expect(o.fulfillments).toHaveLength(2);
      const f2 = o.fulfillments.find((f: any) => f.seller_id === seller2.id);
      expect(f2).toMatchObject({ status: 'pending', delivery_cost: cost, items_total: 500 });
    });

    it('keeps the prices of the moment of checkout', async () => {
      const u = await makeUser(t.http, 'customer');
      const p = await insertProduct(t.ds, seller.id, { price: 1999.99 });
      const o = await checkout(t.http, u, [{ product: p, quantity: 3 }]);
      await t.ds.getRepository(Product).update({ id: p.id }, { price: 500000 });
      const again = await t.http.get(`${ORDERS}/${o.id}`).set(u.auth);
      expect(again.body.items[0]).toMatchObject({ price: 1999.99, subtotal: 5999.97 });
      expect(again.body.items_total).toBe(5999.97);
    });

    it('a line above stock → 409 naming the products; nothing changes and the cart is kept', async () => {
      const u = await makeUser(t.http, 'customer');
      const ok = await insertProduct(t.ds, seller.id, { quantity: 5, name: 'Домбра' });
      const short = await insertProduct(t.ds, seller2.id, { quantity: 5, name: 'Чапан' });
      await addToCart(u, ok.id, 2);
      await addToCart(u, short.id, 4);
      await t.ds.getRepository(Product).update({ id: short.id }, { quantity: 3 }); // sold elsewhere
      const res = await t.http.post(ORDERS).set(u.auth).send(DEFAULT_DELIVERY);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('OUT_OF_STOCK');
      expect(res.body.message).toContain('Чапан');
      expect(res.body.products).toEqual([
        { product_id: short.id, name: 'Чапан', requested: 4, available: 3, is_active: true },
      ]);
      expect(await stockOf(ok.id)).toBe(5);
      expect(await stockOf(short.id)).toBe(3);
      expect(await t.ds.getRepository(Order).countBy({ userId: u.id })).toBe(0);
      const cart = await t.http.get('/api/v1/cart').set(u.auth);
      expect(cart.body.items).toHaveLength(2);
      expect(
        await t.ds.getRepository(StockMovement).countBy({ productId: ok.id, reason: 'sale' }),
      ).toBe(0);
    });

    it('an inactive product → 409 naming it, nothing changes', async () => {
      const u = await makeUser(t.http, 'customer');
      const ok = await insertProduct(t.ds, seller.id, { quantity: 5 });
      const gone = await insertProduct(t.ds, seller.id, { quantity: 5, name: 'Снятый' });
      await addToCart(u, ok.id, 1);
      await addToCart(u, gone.id, 1);
      await t.ds.getRepository(Product).update({ id: gone.id }, { isActive: false });
      const res = await t.http.post(ORDERS).set(u.auth).send(DEFAULT_DELIVERY);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('PRODUCT_UNAVAILABLE');
      expect(res.body.products).toEqual([
        { product_id: gone.id, name: 'Снятый', requested: 1, available: 0, is_active: false },
      ]);
      expect(await stockOf(ok.id)).toBe(5);
      expect((await t.http.get('/api/v1/cart').set(u.auth)).body.items).toHaveLength(2);
    });

    it('tracking numbers are unique and random', async () => {
      const u = await makeUser(t.http, 'customer');
      const p = await insertProduct(t.ds, seller.id, { quantity: 50 });
      const refs: string[] = [];
      for (let i = 0; i < 5; i++) refs.push((await checkout(t.http, u, [p])).tracking_number);
      expect(new Set(refs).size).toBe(5);
      for (const r of refs) expect(r).toMatch(/^BB-[A-HJ-NP-Z2-9]{12}$/);
    });
  });

  describe('GET /orders and GET /orders/{id}', () => {
    let owner: Actor;
    let multi: Record<string, any>;
    const mine: Record<string, any>[] = [];

    beforeAll(async () => {
      owner = await makeUser(t.http, 'customer');
      const a = await insertProduct(t.ds, seller.id, { price: 100, quantity: 100 });
      const b = await insertProduct(t.ds, seller2.id, { price: 200, quantity: 100 });
      for (let i = 0; i < 3; i++) mine.push(await checkout(t.http, owner, [a]));
      multi = await checkout(t.http, owner, [a, { product: b, quantity: 2 }]);
      mine.push(multi);
      // make one order confirmed for the status filter
      await t.http
        .put(`${ORDERS}/${mine[0].id}/status`)
        .set(seller.auth)
        .send({ status: 'confirmed' });
    });

    it('lists own orders newest first, paginated', async () => {
      const res = await t.http.get(`${ORDERS}?page=1&page_size=3`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 4, page: 1, page_size: 3, pages: 2 });
      expect(res.body.items.map((o: any) => o.id)).toEqual(
        [...mine]
          .reverse()
          .slice(0, 3)
          .map((o) => o.id),
      );
      const p2 = await t.http.get(`${ORDERS}?page=2&page_size=3`).set(owner.auth);
      expect(p2.body.items.map((o: any) => o.id)).toEqual([mine[0].id]);
      expect(res.body.items[0].items).toHaveLength(2); // whole orders in the list
    });

    it('filters by status', async () => {
      const res = await t.http.get(`${ORDERS}?status=confirmed`).set(owner.auth);
      expect(res.body.items.map((o: any) => o.id)).toEqual([mine[0].id]);
      expect(res.body.total).toBe(1);
    });

    it('bad query → 400', async () => {
      for (const q of ['status=lost', 'page=0', 'page_size=101', 'sort=x']) {
        expect((await t.http.get(`${ORDERS}?${q}`).set(owner.auth)).status).toBe(400);
      }
    });

    it('another customer sees none of them; admin sees all', async () => {
      const other = await makeUser(t.http, 'customer');
      const res = await t.http.get(ORDERS).set(other.auth);
      expect(res.body).toMatchObject({ items: [], total: 0 });
      const all = await t.http.get(`${ORDERS}?page_size=100`).set(admin.auth);
      const ids = all.body.items.map((o: any) => o.id);
      for (const o of mine) expect(ids).toContain(o.id);
      expect(all.body.total).toBe(await t.ds.getRepository(Order).count());
    });

    it('owner and admin see the whole order', async () => {
      for (const who of [owner, admin]) {
        const res = await t.http.get(`${ORDERS}/${multi.id}`).set(who.auth);
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(2);
        expect(res.body.fulfillments).toHaveLength(2);
        expect(res.body.total_amount).toBe(500 + 3000);
      }
    });

    it('a seller with items sees only own lines and own fulfillment', async () => {
      const res = await t.http.get(`${ORDERS}/${multi.id}`).set(seller2.auth);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toMatchObject({
        seller_id: seller2.id,
        quantity: 2,
        subtotal: 400,
      });
      expect(res.body.fulfillments).toEqual([
        expect.objectContaining({ seller_id: seller2.id, items_total: 400, delivery_cost: 1500 }),
      ]);
      expect(res.body.items_total).toBe(400);
      expect(res.body.total_amount).toBe(1900);
      expect(res.body.status_history.every((h: any) => h.seller_id === seller2.id)).toBe(true);
    });

    it('everyone else gets 404; a bad id 400; an unknown id 404', async () => {
      const stranger = await makeUser(t.http, 'customer');
      const otherSeller = await makeUser(t.http, 'seller');
      for (const who of [stranger, otherSeller]) {
        expect((await t.http.get(`${ORDERS}/${multi.id}`).set(who.auth)).status).toBe(404);
      }
      expect((await t.http.get(`${ORDERS}/nope`).set(owner.auth)).status).toBe(400);
      const res = await t.http
        .get(`${ORDERS}/00000000-0000-4000-8000-000000000000`)
        .set(admin.auth);
      expect(res.status).toBe(404);
      expect((await t.http.get(`${ORDERS}/${multi.id}`)).status).toBe(401);
    });

    it('OrdersService.listForSeller: orders holding own items, own lines only, status of own fulfillment', async () => {
      const svc = t.app.get(OrdersService);
      const s = await t.ds.getRepository(User).findOneByOrFail({ id: seller2.id });
      const page = await svc.listForSeller(s, { page: 1, page_size: 20 });
      expect(page.items.map((o) => o.id)).toContain(multi.id);
      for (const o of page.items) {
        expect(o.items.every((i) => i.seller_id === seller2.id)).toBe(true);
        expect(o.fulfillments.map((f) => f.seller_id)).toEqual([seller2.id]);
      }
      const s1 = await t.ds.getRepository(User).findOneByOrFail({ id: seller.id });
      const confirmed = await svc.listForSeller(s1, {
        page: 1,
        page_size: 20,
        status: 'confirmed',
      });
      expect(confirmed.items.map((o) => o.id)).toEqual([mine[0].id]);
      expect(confirmed.items[0].status).toBe('confirmed');
    });
  });

  describe('statement counts (no N+1)', () => {
    const countStatements = async (fn: () => Promise<unknown>) => {
      const seen = (await recordQueries(t.ds, fn))
        .map((q) => q.sql)
        .filter(
          (q) =>
            !(/mail_outbox/.test(q) && !/^\s*WITH/.test(q)) && // the outbox's own statements
            !/^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SAVEPOINT|RELEASE)/i.test(q),
        );
      if (process.env.SHOW_SQL) console.log(seen.join('\n'));
      return seen.length;
    };

    const cartWith = async (u: Actor, n: number) => {
      for (let i = 0; i < n; i++) {
        const p = await insertProduct(t.ds, i % 2 ? seller.id : seller2.id, { quantity: 10 });
        await addToCart(u, p.id, 1);
      }
    };

    it('PostgreSQL: a checkout is five round trips, its writes riding with the stock update; a cart add opens no transaction', async () => {
      const pg = /^postgres/.test(process.env.DATABASE_URL ?? '');
      const u = await makeUser(t.http, 'customer');
      await cartWith(u, 1); // the first checkout loads the commission rules (once)
      expect((await t.http.post(ORDERS).set(u.auth).send(DEFAULT_DELIVERY)).status).toBe(201);
      const p = await insertProduct(t.ds, seller.id, { quantity: 10 });
      // the statements of the connections that ran one of `mine` (background sweeps run theirs
      // on connections of their own, and on SQLite everything is one connection)
      const seen = async (fn: () => Promise<{ status: number }>, status: number, mine: RegExp) => {
        let got = 0;
        const all = (await recordQueries(t.ds, async () => (got = (await fn()).status))).map(
          (q) => ({ ...q, sql: q.sql.replace(/\s+/g, ' ').trim() }),
        );
        expect(got).toBe(status);
        const runners = new Set(all.filter((q) => mine.test(q.sql)).map((q) => q.runner));
        expect(runners.size).toBeGreaterThan(0);
        return all.filter((q) => runners.has(q.runner) && !outboxSweep(q.sql)).map((q) => q.sql);
      };
      const add = await seen(() => addToCart(u, p.id, 2), 201, /cart_items/);
      const key = `k-${Date.now()}`;
      const order = await seen(
        () => t.http.post(ORDERS).set(u.auth).set('Idempotency-Key', key).send(DEFAULT_DELIVERY),
        201,
        /idempotency_keys" \("user_id"/,
      );
      if (process.env.SHOW_SQL) console.log([...add, '--', ...order].join('\n'));
      const txControl = (q: string) => /^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)/i.test(q);
      if (pg) {
        expect(add.filter(txControl)).toEqual([]);
        expect(order).toEqual([
          'START TRANSACTION',
          expect.stringMatching(/^INSERT INTO "idempotency_keys"/),
          expect.stringMatching(/^SELECT .* FROM "cart_items"/),
          expect.stringMatching(/^SELECT .* FROM "products"/),
          expect.stringMatching(/^WITH w0 AS/),
          'COMMIT',
        ]);
        const last = order[order.length - 2];
        for (const table of [
          'orders',
          'order_items',
          'fulfillments',
          'order_status_history',
          'mail_outbox',
          'stock_movements',
        ]) {
          expect(last).toContain(`INSERT INTO "${table}"`);
        }
        expect(last).toContain('DELETE FROM "cart_items"');
        expect(last).toContain('UPDATE "idempotency_keys"');
        expect(last).toMatch(/\) UPDATE "products" SET "quantity"/);
      } else {
        // SQLite: one queue, so the add is a transaction, and nothing is held back
        expect(add.filter(txControl).length).toBeGreaterThan(0);
        expect(order.filter((q) => /^WITH/.test(q))).toEqual([]);
        expect(order.filter((q) => /^INSERT INTO "mail_outbox"/.test(q))).toHaveLength(1);
      }
      // and it is all there: the order with its line, the cart empty, the stored answer, the ledger
      const replay = await t.http
        .post(ORDERS)
        .set(u.auth)
        .set('Idempotency-Key', key)
        .send(DEFAULT_DELIVERY);
      expect(replay.status).toBe(201);
      expect(replay.body.items).toHaveLength(1);
      expect(replay.body.items[0].quantity).toBe(2);
      expect(await stockOf(p.id)).toBe(8);
      const moves = await t.ds.getRepository(StockMovement).findBy({ productId: p.id });
      expect(moves.map((m) => m.delta).sort()).toEqual([-2, 10]);
      expect((await t.http.get('/api/v1/cart').set(u.auth)).body.items).toEqual([]);
    });

    it('the order, its lines, parcels and history: one statement on PostgreSQL, four on SQLite', async () => {
      const u = await makeUser(t.http, 'customer');
      await cartWith(u, 2); // two sellers: two parcels, two history rows
      let status = 0;
      const placed = (
        await recordQueries(t.ds, async () => {
          status = (await t.http.post(ORDERS).set(u.auth).send(DEFAULT_DELIVERY)).status;
        })
      ).filter((q) =>
        /INSERT INTO "(orders|order_items|fulfillments|order_status_history)"/.test(q.sql),
      );
      expect(status).toBe(201);
      const pg = /^postgres/.test(process.env.DATABASE_URL ?? '');
      expect(placed).toHaveLength(pg ? 1 : 4);
    });

    it('checkout costs a constant plus one statement per line; an order read is constant', async () => {
      const u = await makeUser(t.http, 'customer');
      // a first checkout loads the commission rules into memory (one statement, once): not counted
      await cartWith(u, 1);
      expect((await t.http.post(ORDERS).set(u.auth).send(DEFAULT_DELIVERY)).status).toBe(201);
      await cartWith(u, 1);
      let id1 = '';
      const one = await countStatements(async () => {
        const res = await t.http.post(ORDERS).set(u.auth).send(DEFAULT_DELIVERY);
        id1 = res.body.id;
      });
      await cartWith(u, 8);
      let id8 = '';
      const eight = await countStatements(async () => {
        const res = await t.http.post(ORDERS).set(u.auth).send(DEFAULT_DELIVERY);
        expect(res.body.items).toHaveLength(8);
        id8 = res.body.id;
      });
      // per line: the conditional stock update; the ledger rows of all lines are one INSERT,
      // nothing is read back
      expect(eight - one).toBe(7);
      expect(one).toBeLessThanOrEqual(ONE_LINE_CHECKOUT);

      const read1 = await countStatements(() => t.http.get(`${ORDERS}/${id1}`).set(u.auth));
      const read8 = await countStatements(() => t.http.get(`${ORDERS}/${id8}`).set(u.auth));
      expect(read8).toBe(read1);
      expect(read1).toBeLessThanOrEqual(6);
      const list = await countStatements(() =>
        t.http.get(`${ORDERS}?page_size=100`).set(admin.auth),
      );
      expect(list).toBeLessThanOrEqual(read1 + 2);
    });
  });
});
