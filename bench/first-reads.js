'use strict';
// `node bench/first-reads.js --db bench/results/db/bench-100000.sqlite [--ab /path/to/base]
//   [--rounds 2] [--count 4000] [--connections 50] [--profile]`
// Product by id, every request a first read (a catalog-cache miss): the path `e` takes for an id
// it has not read since the last catalog write. Each round starts a fresh server on a copy-free
// database (the same file: reads only) and asks `count` active ids never asked before in this
// run, once each. With --ab, base and this build alternate (base, this, base, this …), each
// round on fresh ids. Prints req/s, p50/p99 and the server's CPU per request (user + system),
// the figure the machine's load moves least.
const path = require('node:path');
const os = require('node:os');
const { randomBytes } = require('node:crypto');

const ROOT = path.join(__dirname, '..');
const autocannon = require(path.join(ROOT, 'node_modules/autocannon'));
const Database = require(path.join(ROOT, 'node_modules/better-sqlite3'));
const { parseFlags } = require('./lib/args');
const { cpuSeconds, startServer, waitIdle } = require('./lib/server');

async function round(appRoot, dbPath, ids, connections, tag, profile) {
  const secret = randomBytes(32).toString('hex');
  const server = await startServer({
    env: { JWT_SECRET: secret, PAYMENT_WEBHOOK_SECRET: secret, DATABASE_PATH: dbPath },
    log: path.join(ROOT, 'bench', 'results', `server-first-reads-${tag}.log`),
    appRoot,
    nodeArgs: profile
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${path.join(ROOT, 'bench', 'results', 'prof', `first-reads-${tag}`)}`,
        ]
      : [],
  });
  try {
    await waitIdle([server.pid]);
    let n = 0;
    const before = cpuSeconds(server.pid);
    const res = await new Promise((resolve, reject) =>
      autocannon(
        {
          url: server.base,
          connections,
          amount: ids.length,
          requests: [
            {
              method: 'GET',
              setupRequest: (req) => ({ ...req, path: `/api/v1/products/${ids[n++]}` }),
            },
          ],
        },
        (err, r) => (err ? reject(err) : resolve(r)),
      ),
    );
    const cpu = (cpuSeconds(server.pid) ?? 0) - (before ?? 0);
    return {
      tag,
      rps: Math.round(res.requests.average),
      p50: res.latency.p50,
      p99: res.latency.p99,
      cpuMs: (1000 * cpu) / ids.length,
      non2xx: res.non2xx,
      load: os.loadavg()[0],
    };
  } finally {
    await server.stop();
  }
}

async function main() {
  const a = parseFlags(process.argv.slice(2));
  const dbPath = path.resolve(
    String(a.db ?? path.join(ROOT, 'bench/results/db/bench-100000.sqlite')),
  );
  const count = Number(a.count ?? 4000);
  const rounds = Number(a.rounds ?? 2);
  const connections = Number(a.connections ?? 50);
  const builds = a.ab
    ? [
        ['base', path.resolve(String(a.ab))],
        ['this', ROOT],
      ]
    : [['this', ROOT]];
  const db = new Database(dbPath, { readonly: true });
  const need = count * rounds * builds.length;
  const all = db
    .prepare('SELECT id FROM products WHERE is_active = 1 ORDER BY rowid LIMIT ?')
    .all(need)
    .map((r) => r.id);
  db.close();
  if (all.length < need) throw new Error(`only ${all.length} active products, need ${need}`);
  const out = [];
  let k = 0;
  for (let r = 0; r < rounds; r++) {
    for (const [tag, root] of builds) {
      const ids = all.slice(k * count, (k + 1) * count);
      k++;
      const m = await round(root, dbPath, ids, connections, tag, !!a.profile);
      out.push({ round: r + 1, ...m });
      console.error(`[first-reads] ${JSON.stringify(out[out.length - 1])}`);
    }
  }
  console.log(
    '| build | round | req/s | p50 ms | p99 ms | server CPU ms / request | non-2xx | load |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const m of out) {
    console.log(
      `| ${m.tag} | ${m.round} | ${m.rps} | ${m.p50} | ${m.p99} | ${m.cpuMs.toFixed(3)} | ${m.non2xx} | ${m.load.toFixed(1)} |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
