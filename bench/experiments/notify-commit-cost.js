'use strict';
// Issue 18: what the cache trigger costs a write transaction on PostgreSQL. A transaction shaped
// like a checkout's stock take (UPDATE one of 1,000 rows, INSERT a movement, COMMIT), 16 clients
// at once, with the statement trigger that NOTIFYs bibarys_cache enabled and disabled, alternated.
// PostgreSQL serialises the commits of notifying transactions (one queue lock held through the
// commit), so this is the worst case: every transaction notifies.
//   node bench/experiments/notify-commit-cost.js [transactions per run=4000] [rounds=3]
const path = require('node:path');

const { createPgDatabase, dropPgDatabase } = require('../lib/db');

const ROOT = path.join(__dirname, '..', '..');
const { Client } = require(path.join(ROOT, 'node_modules/pg'));
const [nTx = '4000', nRounds = '3'] = process.argv.slice(2);
const DB = `bibarys_bench_notify_${process.pid}`;
const CLIENTS = 16;

(async () => {
  const url = await createPgDatabase(DB);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE TABLE stock (id int PRIMARY KEY, quantity int NOT NULL);
      CREATE TABLE moves (id bigserial PRIMARY KEY, stock_id int NOT NULL, delta int NOT NULL);
      INSERT INTO stock SELECT g, 1000000 FROM generate_series(1, 1000) g;
      CREATE FUNCTION bibarys_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('bibarys_cache', TG_TABLE_NAME || '|' || current_setting('application_name'));
        RETURN NULL;
      END $$;
      CREATE TRIGGER stock_cache_notify AFTER INSERT OR UPDATE OR DELETE ON stock
        FOR EACH STATEMENT EXECUTE FUNCTION bibarys_cache_notify();`);
    const listener = new Client({ connectionString: url }); // someone listens, as in production
    await listener.connect();
    await listener.query('LISTEN bibarys_cache');
    let heard = 0;
    listener.on('notification', () => heard++);
    const clients = [];
    for (let i = 0; i < CLIENTS; i++) {
      const c = new Client({ connectionString: url, application_name: `bench-${i}` });
      await c.connect();
      clients.push(c);
    }
    const run = async () => {
      let left = Number(nTx);
      const t0 = performance.now();
      await Promise.all(
        clients.map(async (c) => {
          while (left-- > 0) {
            const id = 1 + Math.floor(Math.random() * 1000);
            await c.query('BEGIN');
            await c.query('UPDATE stock SET quantity = quantity - 1 WHERE id = $1', [id]);
            await c.query('INSERT INTO moves (stock_id, delta) VALUES ($1, -1)', [id]);
            await c.query('COMMIT');
          }
        }),
      );
      return Number(nTx) / ((performance.now() - t0) / 1000);
    };
    await run(); // warm-up
    console.log('| round | trigger | transactions/s | notifications heard |');
    console.log('|---:|---|---:|---:|');
    for (let r = 1; r <= Number(nRounds); r++) {
      for (const on of [false, true]) {
        await admin.query(
          `ALTER TABLE stock ${on ? 'ENABLE' : 'DISABLE'} TRIGGER stock_cache_notify`,
        );
        heard = 0;
        const tps = await run();
        await new Promise((res) => setTimeout(res, 200));
        console.log(`| ${r} | ${on ? 'on' : 'off'} | ${Math.round(tps)} | ${heard} |`);
      }
    }
    for (const c of [...clients, listener]) await c.end();
  } finally {
    await admin.end();
    await dropPgDatabase(DB);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
