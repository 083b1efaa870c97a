'use strict';
// Issue 18 A/B on PostgreSQL, less at the mercy of a loaded machine than req/s: for each build
// (alternated), the same fixed number of requests per read case over 20 connections, and per
// request the server's CPU time and the database transactions it caused (pg_stat_database
// xact_commit: a cached answer costs none). One database, seeded once by the base's seeder.
//   node bench/experiments/pg-cache-ab.js /path/to/base/checkout [requests=20000] [rounds=2]
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const autocannon = require('autocannon');

const { createPgDatabase, dropPgDatabase, PG_BASE } = require('../lib/db');
const { startServer, cpuSeconds, waitIdle } = require('../lib/server');

const ROOT = path.join(__dirname, '..', '..');
const [baseRoot, nReq = '20000', nRounds = '2'] = process.argv.slice(2);
const DB = `bibarys_bench_ab_${process.pid}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function xacts(url) {
  const { Client } = require(path.join(ROOT, 'node_modules/pg'));
  const c = new Client({ connectionString: PG_BASE });
  await c.connect();
  try {
    await sleep(1200); // backends flush their statistics at most once a second
    const { rows } = await c.query(
      'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
      [new URL(url).pathname.slice(1)],
    );
    return Number(rows[0].n);
  } finally {
    await c.end();
  }
}

async function ids(url) {
  const { Client } = require(path.join(ROOT, 'node_modules/pg'));
  const c = new Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query('SELECT id FROM products WHERE is_active ORDER BY id LIMIT 2000');
  await c.end();
  return rows.map((r) => r.id);
}

function load(base, paths, amount) {
  let i = 0;
  return autocannon({
    url: base,
    connections: 20,
    amount,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
}

(async () => {
  const url = await createPgDatabase(DB);
  try {
    execFileSync(
      process.execPath,
      [
        path.join(baseRoot, 'bench', 'seed.js'),
        '--db',
        'postgres',
        '--url',
        url,
        '--products',
        '1000',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const productIds = await ids(url);
    const cases = {
      a: ['/api/v1/products'],
      c: ['/api/v1/products?category=electronics&min_price=5000&max_price=300000&sort=price_asc'],
      e: productIds.map((id) => `/api/v1/products/${id}`),
    };
    const rows = [];
    for (let round = 0; round < Number(nRounds); round++) {
      for (const [build, root] of [
        ['base', baseRoot],
        ['new', ROOT],
      ]) {
        const server = await startServer({
          env: {
            DATABASE_URL: url,
            JWT_SECRET: 'x'.repeat(40),
            PAYMENT_WEBHOOK_SECRET: 'y'.repeat(40),
          },
          log: `/tmp/pg-cache-ab-${build}.log`,
          appRoot: root,
        });
        try {
          for (const [name, paths] of Object.entries(cases)) {
            await load(server.base, paths, 4000); // warm-up
            await waitIdle([server.pid]);
            const cpu0 = cpuSeconds(server.pid);
            const x0 = await xacts(url);
            const t0 = performance.now();
            const r = await load(server.base, paths, Number(nReq));
            const wall = (performance.now() - t0) / 1000;
            const cpu = cpuSeconds(server.pid) - cpu0;
            const x = (await xacts(url)) - x0;
            const n = r.requests.total;
            const row = {
              round,
              build,
              case: name,
              n,
              non2xx: r.non2xx,
              reqPerS: Math.round(n / wall),
              p99: r.latency.p99,
              cpuUsPerReq: Math.round((cpu * 1e6) / n),
              xactsPerReq: +(x / n).toFixed(3),
            };
            rows.push(row);
            console.error(JSON.stringify(row));
          }
        } finally {
          await server.stop();
        }
      }
    }
    console.log(
      '| round | build | case | req/s | p99 ms | server CPU µs/req | DB transactions/req | non-2xx |',
    );
    console.log('|---:|---|---|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(
        `| ${r.round + 1} | ${r.build} | ${r.case} | ${r.reqPerS} | ${r.p99} | ${r.cpuUsPerReq} | ${r.xactsPerReq} | ${r.non2xx} |`,
      );
    }
  } finally {
    await dropPgDatabase(DB);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
