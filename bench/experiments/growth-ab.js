'use strict';
// `node bench/experiments/growth-ab.js small.sqlite large.sqlite [--rounds 2] [--duration 3]`
// Cases a, c, d, d2, e on two seeded catalogs of the same build, alternated in one run (small,
// large, small, large …) so the machine's load falls on both alike: req/s, p99 and the server's
// CPU per request of each measured run, and the latency of each URL's first request on a fresh
// server (a catalog-cache miss: its total and page, or the product's row).
const path = require('node:path');
const os = require('node:os');
const { randomBytes } = require('node:crypto');

const ROOT = path.join(__dirname, '..', '..');
const Database = require(path.join(ROOT, 'node_modules/better-sqlite3'));
const { buildCases } = require('../lib/cases');
const { runLoad } = require('../lib/load');
const { cpuSeconds, startServer, waitIdle } = require('../lib/server');

const argv = process.argv.slice(2);
const files = argv.filter((a) => a.endsWith('.sqlite'));
const opt = (k, d) => (argv.includes(`--${k}`) ? Number(argv[argv.indexOf(`--${k}`) + 1]) : d);
const rounds = opt('rounds', 2);
const duration = opt('duration', 3);
const KEYS = ['a', 'c', 'd', 'd2', 'e'];

function metaOf(file) {
  const db = new Database(file, { readonly: true });
  const active = db.prepare('SELECT COUNT(*) AS n FROM products WHERE is_active = 1').get().n;
  const all = db.prepare('SELECT COUNT(*) AS n FROM products').get().n;
  const step = Math.max(1, Math.floor(all / 2000));
  const ids = db
    .prepare('SELECT id FROM products WHERE is_active = 1 AND rowid % ? = 0 LIMIT 2000')
    .all(step)
    .map((r) => r.id);
  db.close();
  return {
    activeProducts: active,
    sampleProductIds: ids,
    customers: [],
    hotProductIds: [],
    scarceProductIds: [],
  };
}

async function firstLatency(base, p) {
  const t0 = process.hrtime.bigint();
  const r = await fetch(base + p);
  await r.arrayBuffer();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cache: r.headers.get('x-cache') };
}

(async () => {
  const secret = randomBytes(32).toString('hex');
  const out = [];
  for (let r = 1; r <= rounds; r++) {
    for (const file of files) {
      const meta = metaOf(file);
      const cases = buildCases(meta, secret);
      const server = await startServer({
        env: { JWT_SECRET: secret, PAYMENT_WEBHOOK_SECRET: secret, DATABASE_PATH: file },
        log: path.join(ROOT, 'bench', 'results', 'server-growth-ab.log'),
      });
      try {
        await waitIdle([server.pid]);
        // warm the code (not these URLs): another page of the listing, another product
        for (let i = 0; i < 200; i++)
          await fetch(`${server.base}/api/v1/products?page=${i + 3}`).then((x) => x.arrayBuffer());
        for (const key of KEYS) {
          const kase = cases[key];
          const step = kase.steps[0];
          const first = await firstLatency(
            server.base,
            typeof step.path === 'function' ? step.path({}) : step.path,
          );
          if (kase.warmEach)
            await runLoad(kase, server.base, { connections: 50, amount: kase.warmEach });
          await runLoad(kase, server.base, { connections: 50, duration: 1 });
          await waitIdle([server.pid]);
          const c0 = cpuSeconds(server.pid);
          const m = await runLoad(kase, server.base, { connections: 50, duration });
          const cpu = (1000 * (cpuSeconds(server.pid) - c0)) / m.total;
          const row = {
            round: r,
            file: path.basename(file),
            key,
            rps: m.rps,
            p99: m.p99,
            cpuMs: cpu,
            firstMs: first.ms,
            firstCache: first.cache,
            load: os.loadavg()[0],
            non2xx: m.non2xx,
          };
          out.push(row);
          console.error(JSON.stringify(row));
        }
      } finally {
        await server.stop();
      }
    }
  }
  console.log(
    '| round | catalog | case | req/s | p99 ms | server CPU ms/req | first read ms (x-cache) | load |',
  );
  console.log('|---:|---|---|---:|---:|---:|---:|---:|');
  for (const x of out)
    console.log(
      `| ${x.round} | ${x.file} | ${x.key} | ${x.rps} | ${x.p99} | ${x.cpuMs.toFixed(3)} | ${x.firstMs.toFixed(1)} (${x.firstCache}) | ${x.load.toFixed(1)} |`,
    );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
