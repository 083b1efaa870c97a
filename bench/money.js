'use strict';
// `npm run bench:money [-- --entries 1000000 --sellers 10000 --duration 10]` (SQLite)
// Seller money at scale (issue 15): seeds a small catalog, then 1,000,000 ledger entries over
// 10,000 sellers with approved shops (one seller holds 100,000 entries in one month), with their
// summary rows; starts the built server and measures
//   m1  GET /seller/balance at 50 connections, rotating over every seller (p99, target ≤ 10 ms)
//   m2  the monthly statement (JSON, then CSV) of the seller with 100,000 entries (target ≤ 1 s)
//   m3  one payout batch over all sellers (target ≤ 10 s, server RSS < 250 MB)
//   m4  checkout (case f) under the one global commission rule, then under 59 rules (one per
//       catalog seller, one per category): the cost of rule lookup when freezing (target ≤ 5 %)
// Prints a markdown table; the JSON lands in bench/results/money-<time>.json.
const fs = require('node:fs');
const path = require('node:path');
const { createHmac, randomBytes, randomUUID } = require('node:crypto');

const ROOT = path.join(__dirname, '..');
require(path.join(ROOT, 'scripts', 'ensure-build.js'));

const { seed } = require('./seed');
const { startServer, rssSampler, waitIdle } = require('./lib/server');
const { runLoad } = require('./lib/load');
const { startCeiling, capture } = require('./lib/ceiling');
const { buildCases } = require('./lib/cases');

const DAY = 86_400_000;
const RESULTS = path.join(__dirname, 'results');
const log = (...m) => console.error('[bench:money]', ...m);
const CATEGORIES = [
  'electronics',
  'clothing',
  'home',
  'books',
  'sports',
  'beauty',
  'toys',
  'food',
  'other',
];

function args(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i++)
    if (argv[i].startsWith('--'))
      a[argv[i].slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
  return {
    entries: Number(a.entries ?? 1_000_000),
    sellers: Number(a.sellers ?? 10_000),
    bigSeller: Number(a['big-seller'] ?? 100_000),
    duration: Number(a.duration ?? 10),
    warmup: Number(a.warmup ?? 2),
    connections: Number(a.connections ?? 50),
    // `--only m3` or `--only m1,m3`: run these cases only (the seed is the same)
    only: a.only ? String(a.only).split(',') : null,
    ab: a.ab ? path.resolve(String(a.ab)) : null,
    profile: !!a.profile,
    // `--compare <app root>`: m3 again on another build (a worktree of an older commit, built)
    // over a copy of the same seeded database, after this build's m3: before/after in one run
    compare: a.compare ? path.resolve(String(a.compare)) : null,
  };
}

function token(secret, id, role) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({
    sub: id,
    role,
    tv: 0,
    sid: id, // the seeder gives each user one live session with the user's own id
    iat: now,
    exp: now + 6 * 3600,
    aud: 'bibarys-api',
    iss: 'bibarys',
  });
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

/** The month before this one in Asia/Almaty (UTC+5): its bounds and its `yyyy-mm`. */
function lastMonth() {
  const almaty = new Date(Date.now() + 5 * 3600_000);
  const y = almaty.getUTCFullYear();
  const m = almaty.getUTCMonth(); // this month, 0-based: last month is m - 1
  const start = Date.UTC(y, m - 1, 1) - 5 * 3600_000;
  const end = Date.UTC(y, m, 1) - 5 * 3600_000;
  const d = new Date(Date.UTC(y, m - 1, 1));
  return {
    start,
    end,
    key: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`,
  };
}

/**
 * Sellers (users + approved shops), an admin, ledger entries (sale/commission pairs, all available)
 * and each seller's summary row (Σ of their entries), straight into the SQLite file with its
 * ledger indexes dropped and rebuilt once.
 */
function seedLedger(file, o) {
  const Database = require(path.join(ROOT, 'node_modules/better-sqlite3'));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -400000');
  const t0 = Date.now();
  const ts = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
  const now = Date.now();
  const ix = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'seller_ledger_entries' AND sql IS NOT NULL",
    )
    .all();
  for (const i of ix) db.exec(`DROP INDEX ${i.name}`);
  const sellers = Array.from({ length: o.sellers }, () => randomUUID());
  const admin = randomUUID();
  const user = db.prepare(
    `INSERT INTO users (id, email, password_hash, first_name, last_name, role, is_active, is_verified, token_version, created_at, updated_at)
     VALUES (?, ?, 'x', 'Асель', 'Ахметова', ?, 1, 1, 0, ?, ?)`,
  );
  const shop = db.prepare(
    `INSERT INTO shops (id, seller_id, name, name_search, slug, description, city, legal_form, bin_iin, iban, bik, kbe, status, approved_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '', 'Алматы', 'too', '971240001315', 'KZ86125KZT5004100100', 'CASPKZKA', '17', 'approved', ?, ?, ?)`,
  );
  // one live session per user (id = the user's id), as a login makes it: the tokens name it
  const session = db.prepare(
    `INSERT INTO sessions (id, user_id, token_version, created_at, last_used_at, expires_at) VALUES (?, ?, 0, ?, ?, ?)`,
  );
  const entry = db.prepare(
    `INSERT INTO seller_ledger_entries (id, seller_id, type, amount, available_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const month = lastMonth();
  db.exec('BEGIN');
  const at = ts(now - 400 * DAY);
  const until = ts(now + 30 * DAY);
  user.run(admin, `money-admin@bench.bibarys.kz`, 'admin', at, at);
  session.run(admin, admin, at, at, until);
  sellers.forEach((id, i) => {
    user.run(id, `money-seller${i + 1}@bench.bibarys.kz`, 'seller', at, at);
    session.run(id, id, at, at, until);
    shop.run(
      randomUUID(),
      id,
      `Магазин ${i + 1}`,
      `магазин ${i + 1}`,
      `money-shop-${i + 1}`,
      at,
      at,
      at,
    );
  });
  let written = 0;
  const pair = (sellerId, ms, k) => {
    const sale = 1000_00 + ((k * 7919) % 50_000_00);
    const t = ts(ms);
    entry.run(randomUUID(), sellerId, 'sale', sale, t, t);
    entry.run(randomUUID(), sellerId, 'commission', -Math.round(sale / 10), t, t);
    written += 2;
    if (written % 100_000 === 0) {
      db.exec('COMMIT');
      db.exec('BEGIN');
    }
  };
  // the big seller: bigSeller entries over last month
  for (let k = 0; k < o.bigSeller / 2; k++)
    pair(
      sellers[0],
      month.start + Math.floor(((month.end - month.start - 1) * k) / (o.bigSeller / 2)),
      k,
    );
  // the rest spread over every other seller across the last 60 days
  const rest = (o.entries - o.bigSeller) / 2;
  for (let k = 0; k < rest; k++)
    pair(sellers[1 + (k % (o.sellers - 1))], now - 60 * DAY + ((k * 104729) % (58 * DAY)), k);
  db.exec('COMMIT');
  for (const i of ix) db.exec(i.sql);
  db.exec(`INSERT INTO seller_balances (seller_id, total, paid_out, lifetime_sales, lifetime_commission, entry_count, updated_at)
    SELECT seller_id, SUM(amount), 0, SUM(CASE WHEN type = 'sale' THEN amount ELSE 0 END),
           -SUM(CASE WHEN type = 'commission' THEN amount ELSE 0 END), COUNT(*), '${ts(now)}'
      FROM seller_ledger_entries GROUP BY seller_id`);
  db.exec('ANALYZE');
  db.close();
  return { sellers, admin, month: month.key, seconds: (Date.now() - t0) / 1000, entries: written };
}

async function timed(fn) {
  const t = process.hrtime.bigint();
  const r = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, r };
}

/** m1: GET /seller/balance at `o.connections`, rotating over every seller's token. */
async function measureBalance(server, money, secret, o) {
  const tokens = money.sellers.map((id) => `Bearer ${token(secret, id, 'seller')}`);
  let n = 0;
  const balance = {
    title: 'GET /seller/balance',
    begin(ctx) {
      ctx.auth = { authorization: tokens[n++ % tokens.length] };
    },
    steps: [
      {
        name: 'balance',
        method: 'GET',
        path: '/api/v1/seller/balance',
        headers: (ctx) => ctx.auth,
      },
    ],
  };
  // every seller once first: a running server has its active sellers' accounts and sessions in
  // memory; the first request of each (a cache miss, two reads) is measured apart, as `cold`
  const cold = await runLoad(balance, server.base, {
    connections: o.connections,
    amount: tokens.length,
  });
  log(`m1 cold pass over ${tokens.length} sellers: ${cold.rps} req/s p99 ${cold.p99} ms`);
  await runLoad(balance, server.base, { connections: o.connections, duration: o.warmup });
  await waitIdle([server.pid]);
  const rss = rssSampler([server.pid]);
  const cpu0 = cpuMs(server.pid);
  const m1 = await runLoad(balance, server.base, {
    connections: o.connections,
    duration: o.duration,
  });
  // the server's CPU per answer: what the machine's load changes least
  const cpuPerReq = (cpuMs(server.pid) - cpu0) / Math.max(1, m1.rps * m1.seconds);
  log(`m1 ${m1.rps} req/s p99 ${m1.p99} ms ${JSON.stringify(m1.statuses)}`);
  // the same load on a bare node:http server replaying one captured answer (bench/lib/ceiling.js):
  // the p99 the load generator and this machine reach with no server work at all
  const ceiling = await startCeiling();
  let ceil;
  try {
    await ceiling.serve([
      await capture(server.base, {
        method: 'GET',
        path: '/api/v1/seller/balance',
        headers: { authorization: tokens[0] },
      }),
    ]);
    await runLoad(balance, ceiling.base, { connections: o.connections, duration: 1 });
    ceil = await runLoad(balance, ceiling.base, {
      connections: o.connections,
      duration: o.duration,
    });
  } finally {
    await ceiling.close();
  }
  log(`m1 ceiling ${ceil.rps} req/s p99 ${ceil.p99} ms`);
  return {
    key: 'm1',
    title: `GET /seller/balance, ${o.connections} connections, over ${o.sellers} sellers`,
    rps: m1.rps,
    p50: m1.p50,
    p99: m1.p99,
    statuses: m1.statuses,
    rssMb: rss.stop(),
    cpuMsPerRequest: Math.round(cpuPerReq * 1000) / 1000,
    cold: { rps: cold.rps, p50: cold.p50, p99: cold.p99 },
    ceiling: { rps: ceil.rps, p50: ceil.p50, p99: ceil.p99 },
    target: 'p99 ≤ 10 ms',
    ok: m1.p99 <= 10 && !m1.non2xx,
  };
}

/** `--ab`: m1 on the other build and on this one, alternated twice on the same database. */
async function abBalance(o, file, secret, money) {
  const rows = [];
  for (const [i, appRoot] of [o.ab, ROOT, o.ab, ROOT].entries()) {
    const server = await startServer({
      env: { JWT_SECRET: secret, PAYMENT_WEBHOOK_SECRET: secret, DATABASE_PATH: file },
      log: path.join(RESULTS, 'server-money.log'),
      nodeArgs: profileArgs(o),
      appRoot,
    });
    try {
      const r = await measureBalance(server, money, secret, o);
      rows.push({ app: appRoot === ROOT ? 'this' : appRoot, round: (i >> 1) + 1, ...r });
    } finally {
      await server.stop();
    }
  }
  console.log(
    [
      `## m1 A/B — ${new Date().toISOString().slice(0, 16)} UTC, load average ${require('node:os')
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
      '',
      '| app | round | req/s | p50 ms | p99 ms | server CPU ms/request | RSS MB |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.app} | ${r.round} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.cpuMsPerRequest} | ${r.rssMb} |`,
      ),
      '',
    ].join('\n'),
  );
}

/** CPU time (user + system) the process has used, in ms (Linux: /proc/<pid>/stat, 100 ticks/s). */
function cpuMs(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

const profileArgs = (o) =>
  o.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(RESULTS, 'prof', 'money')}`] : [];

/** One payout batch over every seller: its time, answer and the server's peak RSS. */
async function payoutBatch(base, pid, adminAuth) {
  await waitIdle([pid]);
  const rss = rssSampler([pid], 50);
  const batch = await timed(async () => {
    const res = await fetch(`${base}/api/v1/admin/payouts`, {
      method: 'POST',
      headers: { ...adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ min_amount: 1 }),
      signal: AbortSignal.timeout(120_000),
    });
    const body = await res.json();
    return {
      status: res.status,
      payouts: body.payouts?.length,
      skipped: body.skipped?.length,
      error: res.status >= 300 ? body : undefined,
    };
  });
  return { ms: Math.round(batch.ms), r: batch.r, rssMb: rss.stop() };
}

function m3Row(m3, o, key, suffix) {
  return {
    key,
    title: `POST /admin/payouts over ${o.sellers.toLocaleString('en')} sellers${suffix}`,
    ms: m3.ms,
    ...m3.r,
    rssMb: m3.rssMb,
    target: '≤ 10 000 ms, RSS < 250 MB',
    ok: m3.r.status === 201 && m3.ms <= 10_000 && m3.rssMb < 250,
  };
}

function appCommit(root) {
  try {
    return require('node:child_process')
      .execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' })
      .trim();
  } catch {
    return '?';
  }
}

async function main() {
  const o = args(process.argv.slice(2));
  const want = (key) => !o.only || o.only.includes(key);
  fs.mkdirSync(path.join(RESULTS, 'db'), { recursive: true });
  const file = path.join(RESULTS, 'db', 'bench-money.sqlite');
  const secret = randomBytes(32).toString('hex');
  const meta = await seed({ db: 'sqlite', path: file, products: 1000, customers: 5000 });
  log(`catalog seeded in ${meta.seconds.toFixed(1)} s`);
  const money = seedLedger(file, o);
  log(
    `${money.entries.toLocaleString('en')} ledger entries over ${o.sellers.toLocaleString('en')} sellers in ${money.seconds.toFixed(1)} s`,
  );
  if (o.ab) return abBalance(o, file, secret, money);
  let copy = null;
  if (o.compare && want('m3')) {
    copy = path.join(RESULTS, 'db', 'bench-money-compare.sqlite');
    for (const ext of ['', '-wal', '-shm']) fs.rmSync(copy + ext, { force: true });
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  }
  const server = await startServer({
    env: { JWT_SECRET: secret, PAYMENT_WEBHOOK_SECRET: secret, DATABASE_PATH: file },
    log: path.join(RESULTS, 'server-money.log'),
    nodeArgs: profileArgs(o),
  });
  const out = {
    started: new Date().toISOString(),
    loadavg: require('node:os').loadavg(),
    options: o,
    seed: money,
    rows: [],
  };
  const base = server.base;
  const adminAuth = { authorization: `Bearer ${token(secret, money.admin, 'admin')}` };
  try {
    const tokens = money.sellers.map((id) => `Bearer ${token(secret, id, 'seller')}`);
    // m1: balance, rotating over every seller
    if (want('m1')) out.rows.push(await measureBalance(server, money, secret, o));

    // m2: statement of the seller with bigSeller entries
    if (want('m2')) {
      const big = { authorization: tokens[0] };
      const stmt = [];
      for (const accept of [
        'application/json',
        'application/json',
        'application/json',
        'text/csv',
        'text/csv',
      ]) {
        const t = await timed(async () => {
          const res = await fetch(`${base}/api/v1/seller/statements/${money.month}`, {
            headers: { ...big, accept },
          });
          const body = await res.text();
          return {
            status: res.status,
            bytes: body.length,
            body: accept === 'application/json' ? body.slice(0, 300) : undefined,
          };
        });
        stmt.push({ accept, ms: Math.round(t.ms), status: t.r.status, bytes: t.r.bytes });
      }
      const worst = Math.max(...stmt.map((s) => s.ms));
      out.rows.push({
        key: 'm2',
        title: `statement ${money.month} of a seller with ${o.bigSeller.toLocaleString('en')} entries (JSON ×3, CSV ×2)`,
        ms: stmt.map((s) => s.ms),
        statuses: stmt.map((s) => s.status),
        worstMs: worst,
        target: '≤ 1 000 ms',
        ok: worst <= 1000 && stmt.every((s) => s.status === 200),
      });
      log(`m2 ${JSON.stringify(stmt)}`);
    }

    // m3: one payout batch over every seller
    if (want('m3')) {
      const m3 = await payoutBatch(base, server.pid, adminAuth);
      out.rows.push(m3Row(m3, o, 'm3', ''));
      log(`m3 ${m3.ms} ms ${JSON.stringify(m3.r)} RSS ${m3.rssMb} MB`);
    }

    // m4: checkout with the global rule only, then with 59 rules
    if (want('m4')) {
      const cases = buildCases(meta, secret);
      const checkout = async (label) => {
        await waitIdle([server.pid]);
        await runLoad(cases.f, base, { connections: o.connections, duration: o.warmup });
        await waitIdle([server.pid]);
        const r = await runLoad(cases.f, base, {
          connections: o.connections,
          duration: o.duration,
        });
        const created = r.steps.order?.['201'] ?? 0;
        log(`m4 ${label}: ${Math.round(created / r.seconds)} checkouts/s, p99 ${r.p99} ms`);
        return { perSecond: created / r.seconds, p99: r.p99, statuses: r.statuses };
      };
      // A/B/A/B: the machine's load drifts, so each side is measured twice, interleaved
      const post = (body) =>
        fetch(`${base}/api/v1/admin/commission-rules`, {
          method: 'POST',
          headers: { ...adminAuth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (r) => (r.status === 201 ? (await r.json()).id : null));
      const addRules = async () => {
        const ids = [];
        for (const [i, sellerId] of meta.sellers.entries())
          ids.push(
            await post({
              scope: 'seller',
              seller_id: sellerId,
              rate_percent: 5 + (i % 10) * 0.75,
              min_fee: 50,
            }),
          );
        for (const [i, category] of CATEGORIES.entries())
          ids.push(
            await post({ scope: 'category', category, rate_percent: 7 + i * 0.5, max_fee: 50_000 }),
          );
        return ids.filter(Boolean);
      };
      const dropRules = async (ids) => {
        for (const id of ids)
          await fetch(`${base}/api/v1/admin/commission-rules/${id}`, {
            method: 'DELETE',
            headers: adminAuth,
          });
      };
      const rounds = [];
      let ruleCount = 0;
      for (let k = 0; k < 2; k++) {
        const globalOnly = await checkout(`global rule (${k + 1})`);
        const ids = await addRules();
        ruleCount = ids.length + 1;
        const manyRules = await checkout(`${ruleCount} rules (${k + 1})`);
        await dropRules(ids);
        rounds.push({ globalOnly, manyRules, ratio: manyRules.perSecond / globalOnly.perSecond });
      }
      const sum = (f) => rounds.reduce((a, r) => a + f(r), 0);
      const ratio = sum((r) => r.manyRules.perSecond) / sum((r) => r.globalOnly.perSecond);
      out.rows.push({
        key: 'm4',
        title: `checkout, ${ruleCount} commission rules vs the global one alone (A/B ×2)`,
        rounds,
        globalOnly: {
          perSecond: sum((r) => r.globalOnly.perSecond) / 2,
          p99: Math.max(...rounds.map((r) => r.globalOnly.p99)),
        },
        manyRules: {
          perSecond: sum((r) => r.manyRules.perSecond) / 2,
          p99: Math.max(...rounds.map((r) => r.manyRules.p99)),
        },
        ratio,
        target: 'cost ≤ 5 % (ratio ≥ 0.95)',
        ok: ratio >= 0.95,
      });
    }
  } finally {
    await server.stop();
  }
  if (copy) {
    const other = await startServer({
      env: { JWT_SECRET: secret, PAYMENT_WEBHOOK_SECRET: secret, DATABASE_PATH: copy },
      log: path.join(RESULTS, 'server-money-compare.log'),
      appRoot: o.compare,
    });
    try {
      const m3 = await payoutBatch(other.base, other.pid, adminAuth);
      const row = m3Row(m3, o, 'm3b', ` — ${path.basename(o.compare)} (${appCommit(o.compare)})`);
      const mine = out.rows.find((r) => r.key === 'm3');
      if (mine) row.ratio = { ms: mine.ms / m3.ms, rss: mine.rssMb / m3.rssMb };
      out.rows.push(row);
      log(`m3b ${m3.ms} ms ${JSON.stringify(m3.r)} RSS ${m3.rssMb} MB`);
    } finally {
      await other.stop();
    }
  }
  const md = [
    `## Seller money at scale — SQLite, ${out.started.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${money.entries.toLocaleString('en')} ledger entries over ${o.sellers.toLocaleString('en')} sellers (seeded in ${money.seconds.toFixed(0)} s); ${o.connections} connections, ${o.duration} s runs; load average before ${out.loadavg.map((x) => x.toFixed(1)).join(' ')}, after ${require('node:os')
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}.`,
    '',
    '| case | result | target | ok |',
    '| --- | --- | --- | --- |',
    ...out.rows.map((r) => {
      const res =
        r.key === 'm1'
          ? `${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.cpuMsPerRequest} ms server CPU each, RSS ${r.rssMb} MB (first request of each seller: p99 ${r.cold.p99} ms; the ceiling, a bare node:http server replaying the answer: ${r.ceiling.rps} req/s, p50 ${r.ceiling.p50} ms, p99 ${r.ceiling.p99} ms)`
          : r.key === 'm2'
            ? `${r.ms.join(' / ')} ms`
            : r.key === 'm3' || r.key === 'm3b'
              ? `${r.ms} ms, ${r.payouts} payouts, ${r.skipped} skipped, peak RSS ${r.rssMb} MB${r.ratio ? ` (this build ÷ it: time ${r.ratio.ms.toFixed(2)}, RSS ${r.ratio.rss.toFixed(2)})` : ''}`
              : `${Math.round(r.globalOnly.perSecond)} → ${Math.round(r.manyRules.perSecond)} checkouts/s (ratio ${r.ratio.toFixed(3)}), p99 ${r.globalOnly.p99} → ${r.manyRules.p99} ms`;
      return `| ${r.key} ${r.title} | ${res} | ${r.target} | ${r.ok ? 'yes' : '**no**'} |`;
    }),
    '',
  ].join('\n');
  console.log(md);
  fs.writeFileSync(
    path.join(RESULTS, `money-${out.started.replace(/[:.]/g, '-').slice(0, 19)}.json`),
    JSON.stringify({ ...out, markdown: md }, null, 2),
  );
  fs.writeFileSync(path.join(RESULTS, 'latest-money.md'), md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
