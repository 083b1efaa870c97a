import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hashSync } from 'bcrypt';

import type { DemoRefundRecord } from '../../src/modules/payments/demo-payment-provider';
import { SERVER_JWT_SECRET, ServerProcess, sleep } from '../support/server-process';
import { FaultDb, insertCustomers, mintToken } from './support/db';
import { PgCluster } from './support/pg-cluster';

const DELIVERY = {
  delivery_method: 'standard',
  delivery_address: 'г. Алматы, пр. Абая 10, кв. 5',
  phone: '+77011234567',
};
const REFUND_DELAY_MS = 2000;

type Backend = 'sqlite' | 'postgres';
interface Who {
  id: string;
  token: string;
}

/**
 * kill -9 between a provider refund and its bookkeeping (issue 15): the demo provider records the
 * refund in its journal (synced) and answers REFUND_DELAY_MS later, like an acquirer whose answer
 * is on its way; the server is killed in that window, with the refund made but not booked. After
 * the restart the recovery sweeps ask again with the same idempotency key: the buyer is refunded
 * once (one `refund` in the provider's journal for the key, the repeat a `replay`), and the
 * ledger holds one refund entry — for a return (returns sweep) and for a parcel refunded while
 * its order goes on (payment recovery sweep).
 */
describe.each<Backend>(['sqlite', 'postgres'])(
  'faults: kill -9 between a refund and its bookkeeping (%s)',
  (backend) => {
    let pg: PgCluster | undefined;
    let dir: string;
    let journal: string;
    let server: ServerProcess;
    let db: FaultDb;

    const api = async (who: Who, method: string, path: string, body?: unknown) => {
      const res = await server.request(method, `/api/v1${path}`, { token: who.token, body });
      if (res.status >= 300)
        throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const journalOf = (reference: string): DemoRefundRecord[] =>
      existsSync(journal)
        ? readFileSync(journal, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as DemoRefundRecord)
            .filter((r) => r.reference === reference)
        : [];
    const refundRow = async (reference: string) =>
      (
        await db.query<{ status: string; attempts: number }>(
          `SELECT status, attempts FROM refunds WHERE reference = $1`,
          [reference],
        )
      )[0];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'bibarys-faults-refund-'));
      journal = join(dir, 'provider-journal.jsonl');
      const env: Record<string, string> =
        backend === 'postgres'
          ? {
              DATABASE_URL: await (pg = await PgCluster.create()).createDatabase(
                'bibarys_refund_crash',
              ),
            }
          : { DATABASE_PATH: join(dir, 'db.sqlite') };
      server = await ServerProcess.start({
        ...env,
        PAYMENT_DEMO_JOURNAL: journal,
        PAYMENT_DEMO_REFUND_DELAY_MS: String(REFUND_DELAY_MS),
        PAYMENT_TIMEOUT_MS: '3000',
        PAYMENT_RECOVERY_MS: '300',
        RETURN_SWEEP_MS: '300',
      });
      db = await FaultDb.open(env);
    });

    afterAll(async () => {
      await server?.stop();
      await db?.close();
      pg?.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Users straight in the table, with tokens the server accepts. */
    async function users(n: number, role: 'customer' | 'seller', prefix: string): Promise<Who[]> {
      const rows = await insertCustomers(
        db,
        n,
        hashSync('password-123', 10),
        `${prefix}-${backend}`,
      );
      if (role === 'seller') {
        await db.query(`UPDATE users SET role = 'seller' WHERE email LIKE $1`, [
          `${prefix}-${backend}.%`,
        ]);
      }
      const out: Who[] = [];
      for (const u of rows)
        out.push({ id: u.id, token: await mintToken(db, SERVER_JWT_SECRET, { id: u.id, role }) });
      return out;
    }
    /** A card-paid order of `lines`, each seller's parcel delivered; the order as the buyer sees it. */
    async function deliveredOrder(
      buyer: Who,
      lines: { product_id: string; quantity: number }[],
      sellers: Who[],
    ) {
      for (const l of lines) await api(buyer, 'POST', '/cart/items', l);
      const order = await api(buyer, 'POST', '/orders', DELIVERY);
      expect(
        (await api(buyer, 'POST', '/payments', { order_id: order.id, payment_method: 'card' }))
          .status,
      ).toBe('completed');
      for (const s of sellers) {
        for (const status of ['processing', 'shipped', 'delivered']) {
          await api(
            s,
            'PUT',
            `/orders/${order.id}/status`,
            status === 'shipped' ? { status, tracking_number: 'KZP000000001KZ' } : { status },
          );
        }
      }
      return api(buyer, 'GET', `/orders/${order.id}`);
    }

    it('the buyer is refunded once and the ledger has one refund entry, for a return and for a parcel', async () => {
      const [a, b] = await users(2, 'seller', 'refund-crash-seller');
      const [buyer1, buyer2] = await users(2, 'customer', 'refund-crash-buyer');
      const product = async (s: Who, price: number) =>
        (
          await api(s, 'POST', '/products', {
            name: `Товар ${price}`,
            description: 'Проверка возврата после падения',
            price,
            quantity: 10,
            category: 'other',
          })
        ).id as string;
      const pa = await product(a, 1500);
      const pb = await product(b, 2500);

      // a return of 1 of 2 units, approved; a two-seller order whose parcel of a is to be refunded
      const o1 = await deliveredOrder(buyer1, [{ product_id: pa, quantity: 2 }], [a]);
      const line = o1.items.find((i: { product_id: string }) => i.product_id === pa).id;
      const ret = await api(buyer1, 'POST', '/returns', {
        order_id: o1.id,
        items: [{ order_item_id: line, quantity: 1, reason: 'defective' }],
      });
      await api(a, 'PUT', `/returns/${ret.id}/approve`);
      const o2 = await deliveredOrder(
        buyer2,
        [
          { product_id: pa, quantity: 1 },
          { product_id: pb, quantity: 1 },
        ],
        [a, b],
      );
      const [parcel] = await db.query<{ id: string; total: string | number }>(
        `SELECT id, items_total + delivery_cost AS total FROM fulfillments WHERE order_id = $1 AND seller_id = $2`,
        [o2.id, a.id],
      );

      // both refunds go to the provider; it makes them and the server dies before the answers
      const cut = [
        server
          .request('PUT', `/api/v1/returns/${ret.id}/receive`, { token: a.token })
          .catch((e: Error) => e),
        server
          .request('PUT', `/api/v1/orders/${o2.id}/status`, {
            token: a.token,
            body: { status: 'refunded' },
          })
          .catch((e: Error) => e),
      ];
      const deadline = Date.now() + 20_000;
      while ((!journalOf(ret.id).length || !journalOf(parcel.id).length) && Date.now() < deadline)
        await sleep(20);
      expect(journalOf(ret.id).map((r) => r.kind)).toEqual(['refund']);
      expect(journalOf(parcel.id).map((r) => r.kind)).toEqual(['refund']);
      // made at the provider, not booked: the refunds are still claimed (pending)
      expect(await refundRow(ret.id)).toMatchObject({ status: 'pending' });
      expect(await refundRow(parcel.id)).toMatchObject({ status: 'pending' });
      await server.kill9();
      // (neither request was answered: the connection died with the process)
      for (const r of await Promise.all(cut)) expect(r).not.toHaveProperty('status');

      // restart: the sweeps take over the stale claims (PAYMENT_TIMEOUT_MS + 2 s after them)
      server.env.PAYMENT_DEMO_REFUND_DELAY_MS = '0';
      await server.restart();
      const until = Date.now() + 40_000;
      let state: [string | undefined, string | undefined] = [undefined, undefined];
      while (Date.now() < until) {
        state = [(await refundRow(ret.id))?.status, (await refundRow(parcel.id))?.status];
        if (state[0] === 'completed' && state[1] === 'completed') break;
        await sleep(200);
      }
      expect(state).toEqual(['completed', 'completed']);
      // the refund row is completed in the payments module's transaction, the return moves to
      // refunded in the next one: wait for that too (a loaded machine widens the gap)
      let back = await api(buyer1, 'GET', `/returns/${ret.id}`);
      while (back.status !== 'refunded' && Date.now() < until) {
        await sleep(200);
        back = await api(buyer1, 'GET', `/returns/${ret.id}`);
      }
      expect(back).toMatchObject({
        status: 'refunded',
        refund_status: 'completed',
        refund_amount: 1500,
      });

      // the buyer was refunded once per key: the sweep's repeat was answered from the record
      for (const ref of [ret.id, parcel.id]) {
        const kinds = journalOf(ref).map((r) => r.kind);
        expect(kinds.filter((k) => k === 'refund')).toHaveLength(1);
        expect(kinds.filter((k) => k === 'replay').length).toBeGreaterThanOrEqual(1);
      }
      expect(journalOf(ret.id)[0].amount).toBe(1500_00);
      expect(journalOf(parcel.id)[0].amount).toBe(Number(parcel.total));

      // one refund entry each in the seller's ledger; the stock came back once
      const entries = await db.query<{
        type: string;
        amount: string | number;
        return_id: string | null;
        fulfillment_id: string;
      }>(
        `SELECT type, amount, return_id, fulfillment_id FROM seller_ledger_entries WHERE seller_id = $1 AND type = 'refund'`,
        [a.id],
      );
      expect(entries.filter((e) => e.return_id === ret.id).map((e) => Number(e.amount))).toEqual([
        -1500_00,
      ]);
      expect(
        entries.filter((e) => e.fulfillment_id === parcel.id).map((e) => Number(e.amount)),
      ).toEqual([-Number(parcel.total)]);
      expect(entries).toHaveLength(2);
      expect(
        await db.count(
          `SELECT count(*) AS n FROM stock_movements WHERE reason = 'return' AND order_id = $1`,
          [o1.id],
        ),
      ).toBe(1);
      for (const [buyer, order] of [
        [buyer1, o1],
        [buyer2, o2],
      ] as const) {
        expect((await api(buyer, 'GET', `/orders/${order.id}`)).payment_status).toBe(
          'partially_refunded',
        );
      }
    }, 120_000);
  },
);
