'use strict';
// Direct database access for the harness: throwaway PostgreSQL databases and the checks after
// the checkout case (no oversell, the stock ledger holds, every 201 is an order).
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const PG_BASE =
  process.env.BENCH_PG_URL ||
  process.env.TEST_PG_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

function pgUrlFor(dbName) {
  const u = new URL(PG_BASE);
  u.pathname = '/' + dbName;
  return u.toString();
}

async function pgAdmin(fn) {
  const { Client } = require(path.join(ROOT, 'node_modules/pg'));
  const c = new Client({ connectionString: PG_BASE });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function createPgDatabase(name) {
  await pgAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  return pgUrlFor(name);
}

const dropPgDatabase = (name) =>
  pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

/** Runs read-only queries against the benchmark database: q(sql) → rows. */
async function withDb(target, fn) {
  if (target.db === 'postgres') {
    const { Client } = require(path.join(ROOT, 'node_modules/pg'));
    const c = new Client({ connectionString: target.url });
    await c.connect();
    try {
      return await fn(async (sql) => (await c.query(sql)).rows);
    } finally {
      await c.end();
    }
  }
  const Database = require(path.join(ROOT, 'node_modules/better-sqlite3'));
  const db = new Database(target.path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  try {
    return await fn(async (sql) => db.prepare(sql).all());
  } finally {
    db.close();
  }
}

/**
 * After the checkout case: for the products it bought, no product below zero, quantity equals
 * the ledger's sum, and the units in live orders never exceed the units supplied (no oversell);
 * and the number of orders placed during the run.
 */
async function verifyCheckout(target, productIds) {
  const list = productIds.map((id) => `'${id.replace(/[^0-9a-f-]/gi, '')}'`).join(',');
  return withDb(target, async (q) => {
    const n = async (sql) => Number((await q(sql))[0].n);
    const negative = await n('SELECT COUNT(*) AS n FROM products WHERE quantity < 0');
    const ledgerDrift = await n(
      `SELECT COUNT(*) AS n FROM products p WHERE p.id IN (${list}) AND p.quantity <>
         (SELECT COALESCE(SUM(m.delta), 0) FROM stock_movements m WHERE m.product_id = p.id)`,
    );
    const oversold = await n(
      `SELECT COUNT(*) AS n FROM products p WHERE p.id IN (${list}) AND
         (SELECT COALESCE(SUM(oi.quantity), 0) FROM order_items oi JOIN orders o ON o.id = oi.order_id
           WHERE oi.product_id = p.id AND o.status <> 'cancelled')
         > (SELECT COALESCE(SUM(m.delta), 0) FROM stock_movements m
           WHERE m.product_id = p.id AND m.reason IN ('initial', 'adjustment'))`,
    );
    const soldOut = await n(
      `SELECT COUNT(*) AS n FROM products WHERE id IN (${list}) AND quantity = 0`,
    );
    const newOrders = await n(
      "SELECT COUNT(*) AS n FROM orders WHERE tracking_number NOT LIKE 'BS-%'",
    );
    return { negative, ledgerDrift, oversold, soldOut, newOrders };
  });
}

/** EXPLAIN (QUERY PLAN) of a statement, as text lines. */
async function explain(target, sql) {
  return withDb(target, async (q) => {
    if (target.db === 'postgres') return (await q(`EXPLAIN ${sql}`)).map((r) => r['QUERY PLAN']);
    return (await q(`EXPLAIN QUERY PLAN ${sql}`)).map((r) => r.detail);
  });
}

module.exports = {
  createPgDatabase,
  dropPgDatabase,
  verifyCheckout,
  withDb,
  explain,
  pgAdmin,
  pgUrlFor,
  PG_BASE,
};
