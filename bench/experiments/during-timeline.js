'use strict';
// Where in time the listing's slow answers fall during a login storm (g) or a register flood (r):
// the listing (case a) runs at --rate for --duration s; the other load starts --lead s in and runs
// to the end. Prints, per --bin ms, the listing's answers, their p99 and max, and how many of the
// run's slowest 1 % fell in the bin — so a p99 made by one stall shows as one bin.
//   node bench/experiments/during-timeline.js [--other r|g] [--rate 2000] [--duration 10]
//     [--lead 3] [--bin 250] [--products 100000] [--env K=V,…] [--profile] [--warm-other] [--warm-code] [--app <root>]
// (g is always warmed, as in `npm run bench`; --warm-other warms r too: its registrations are then
// spent and the measured flood is refusals only)
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const autocannon = require('autocannon');

const ROOT = path.join(__dirname, '..', '..');
const { seed } = require('../seed');
const { startServer, waitIdle } = require('../lib/server');
const { runLoad } = require('../lib/load');
const { buildCases } = require('../lib/cases');
const { parseFlags } = require('../lib/args');

const args = parseFlags();
const other = String(args.other ?? 'r');
const rate = Number(args.rate ?? 2000);
const duration = Number(args.duration ?? 10);
const lead = Number(args.lead ?? 3);
const binMs = Number(args.bin ?? 250);
const products = Number(args.products ?? 100000);
const appRoot = path.resolve(String(args.app ?? ROOT));
const extraEnv = Object.fromEntries(
  String(args.env ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split('=')),
);
const log = (...m) => console.error('[timeline]', ...m);

/** The listing at `rate` with every answer's moment and latency. */
function listing(kase, base) {
  const answers = [];
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: base + kase.steps[0].path,
        connections: 50,
        duration,
        overallRate: rate,
      },
      (err) => (err ? reject(err) : resolve({ answers, t0 })),
    );
    inst.on('response', (_client, _status, _bytes, ms) => answers.push([Date.now() - t0 - ms, ms]));
  });
}

async function main() {
  const secret = randomBytes(24).toString('hex');
  const dir = path.join(ROOT, 'bench', 'results', 'db');
  fs.mkdirSync(dir, { recursive: true });
  const dbPath = path.join(dir, `timeline-${process.pid}.sqlite`);
  const meta = await seed({ db: 'sqlite', path: dbPath, products, appRoot: ROOT });
  const env = {
    JWT_SECRET: secret,
    PAYMENT_WEBHOOK_SECRET: secret,
    DATABASE_PATH: dbPath,
    ...(args['warm-code'] ? { TRUST_PROXY: 'loopback' } : {}),
    ...extraEnv,
  };
  const nodeArgs = args.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench', 'results', 'prof', 'timeline')}`]
    : [];
  const server = await startServer({
    env,
    log: path.join(ROOT, 'bench', 'results', 'server-timeline.log'),
    nodeArgs,
    appRoot,
  });
  try {
    const cases = buildCases(meta, secret);
    await runLoad(cases.a, server.base, { connections: 50, duration: 2 });
    if (other === 'g' || args['warm-other'])
      await runLoad(cases[other], server.base, { connections: 10, duration: 2 });
    if (args['warm-code']) {
      // the same requests from other (forwarded) addresses: the code is warm, the measured
      // client's registrations are not spent (the server runs with TRUST_PROXY=loopback)
      let n = 0;
      const step = cases[other].steps[0];
      const warm = {
        ...cases[other],
        steps: [{ ...step, headers: () => ({ 'x-forwarded-for': `10.9.${n >> 8}.${n++ & 255}` }) }],
      };
      await runLoad(warm, server.base, { connections: 10, amount: 400 });
    }
    await waitIdle([server.pid]);
    const started = Date.now();
    const [run, load] = await Promise.all([
      listing(cases.a, server.base),
      new Promise((r) => setTimeout(r, lead * 1000)).then(() =>
        runLoad(cases[other], server.base, {
          connections: 40,
          duration: Math.max(1, duration - lead),
        }),
      ),
    ]);
    log(`other (${other}) from ${lead} s: ${JSON.stringify(load.statuses)}`);
    const all = run.answers.map((a) => a[1]).sort((x, y) => x - y);
    const p99 = all[Math.floor(all.length * 0.99)];
    log(`listing: ${all.length} answers, p99 ${p99} ms; started ${run.t0 - started} ms late`);
    const bins = new Map();
    for (const [at, ms] of run.answers) {
      const b = Math.floor(at / binMs);
      const x = bins.get(b) ?? { n: 0, lat: [], slow: 0 };
      x.n++;
      x.lat.push(ms);
      if (ms > p99) x.slow++;
      bins.set(b, x);
    }
    for (const [b, x] of [...bins].sort((p, q) => p[0] - q[0])) {
      x.lat.sort((p, q) => p - q);
      const q = x.lat[Math.floor(x.lat.length * 0.99)];
      console.log(
        `${String(b * binMs).padStart(6)} ms  n ${String(x.n).padStart(5)}  p99 ${String(q).padStart(4)}  max ${String(x.lat.at(-1)).padStart(4)}  slowest-1% ${x.slow}`,
      );
    }
  } finally {
    await server.stop();
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
