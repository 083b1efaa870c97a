'use strict';
// Checkout (case f) A/B: one catalog seeded once, then each build in turn (A, B, A, B, …) on a
// fresh copy of it (SQLite: a file copy; PostgreSQL: CREATE DATABASE … TEMPLATE), each run a
// warm-up and a measured run of case f; prints checkouts/s and the server's CPU ms per checkout.
//   node bench/experiments/checkout-ab.js --apps /work/wt-co-base,/work/wt-co [--db postgres]
//     [--rounds 2] [--duration 8] [--warmup 2] [--products 100000] [--profile]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const ROOT = path.join(__dirname, '..', '..');
const { seed } = require('../seed');
const { cpuSeconds, startServer, waitIdle } = require('../lib/server');
const { runLoad } = require('../lib/load');
const { buildCases } = require('../lib/cases');
const { createPgDatabase, dropPgDatabase, verifyCheckout, pgAdmin, pgUrlFor } = require('../lib/db');
const { parseFlags } = require('../lib/args');

const args = parseFlags();
const apps = String(args.apps ?? ROOT)
  .split(',')
  .map((a) => path.resolve(a));
const db = args.db === 'postgres' || args.db === 'pg' ? 'postgres' : 'sqlite';
const rounds = Number(args.rounds ?? 2);
const duration = Number(args.duration ?? 8);
const warmup = Number(args.warmup ?? 2);
const products = Number(args.products ?? 100000);
const connections = Number(args.connections ?? 50);
const log = (...m) => console.error('[ab]', ...m);

async function main() {
  const secret = randomBytes(24).toString('hex');
  const dir = path.join(ROOT, 'bench', 'results', 'db');
  fs.mkdirSync(dir, { recursive: true });
  const tpl =
    db === 'postgres'
      ? { db, name: `bibarys_ab_tpl_${process.pid}` }
      : { db, path: path.join(dir, `ab-${process.pid}.sqlite`) };
  if (db === 'postgres') tpl.url = await createPgDatabase(tpl.name);
  const meta = await seed({ ...tpl, products, appRoot: apps[0] });
  log(`seeded ${products} in ${meta.seconds.toFixed(1)} s`);
  const results = [];
  try {
    for (let r = 0; r < rounds; r++) {
      for (const app of apps) {
        const target = { db };
        if (db === 'postgres') {
          target.name = `bibarys_ab_run_${process.pid}`;
          await pgAdmin(async (c) => {
            await c.query(`DROP DATABASE IF EXISTS ${target.name} WITH (FORCE)`);
            await c.query(`CREATE DATABASE ${target.name} TEMPLATE ${tpl.name}`);
          });
          target.url = pgUrlFor(target.name);
        } else {
          target.path = path.join(dir, `ab-run-${process.pid}.sqlite`);
          for (const s of ['', '-wal', '-shm']) fs.rmSync(target.path + s, { force: true });
          fs.copyFileSync(tpl.path, target.path);
        }
        const env = {
          JWT_SECRET: secret,
          PAYMENT_WEBHOOK_SECRET: secret,
          ...(db === 'postgres' ? { DATABASE_URL: target.url } : { DATABASE_PATH: target.path }),
        };
        const tag = `${path.basename(app)}-r${r}`;
        const nodeArgs = args.profile
          ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench/results/prof/ab', tag)}`]
          : [];
        const server = await startServer({
          env,
          log: path.join(ROOT, 'bench/results', `ab-${tag}.log`),
          nodeArgs,
          appRoot: app,
        });
        try {
          const cases = buildCases(meta, secret);
          const load0 = os.loadavg()[0];
          await runLoad(cases.f, server.base, { connections, duration: warmup });
          await waitIdle([server.pid]);
          const cpu0 = cpuSeconds(server.pid);
          const res = await runLoad(cases.f, server.base, { connections, duration });
          const cpu1 = cpuSeconds(server.pid);
          await waitIdle([server.pid]);
          const verify = await verifyCheckout(target, [
            ...meta.hotProductIds,
            ...meta.scarceProductIds,
          ]);
          const created = res.steps.order?.['201'] ?? 0;
          const fiveXx = Object.entries(res.statuses)
            .filter(([s]) => s >= 500)
            .reduce((x, [, v]) => x + v, 0);
          const row = {
            app: path.basename(app),
            round: r,
            perSecond: +(created / res.seconds).toFixed(1),
            cpuMs: +((1000 * (cpu1 - cpu0)) / Math.max(1, created)).toFixed(2),
            p99: res.p99,
            fiveXx,
            load: `${load0.toFixed(1)}→${os.loadavg()[0].toFixed(1)}`,
            verify,
            steps: res.steps,
          };
          results.push(row);
          log(JSON.stringify(row));
        } finally {
          await server.stop();
          if (db === 'postgres') await dropPgDatabase(target.name).catch(() => undefined);
        }
      }
    }
  } finally {
    if (db === 'postgres') await dropPgDatabase(tpl.name).catch(() => undefined);
    else for (const s of ['', '-wal', '-shm']) fs.rmSync(tpl.path + s, { force: true });
  }
  console.log('| app | round | checkouts/s | server CPU ms / checkout | p99 ms | 5xx | load |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    console.log(
      `| ${r.app} | ${r.round} | ${r.perSecond} | ${r.cpuMs} | ${r.p99} | ${r.fiveXx} | ${r.load} |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
