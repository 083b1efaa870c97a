'use strict';
// `npm run bench [-- --quick] [-- --sizes 1000,100000 --duration 10 --db sqlite|postgres --profile]`
// Seeds a catalog per size, starts the built server on it, drives each case with autocannon
// (warm-up, then the measured run), replays the same response bytes from a bare node:http
// server (the ceiling), and prints a markdown table plus the targets; the JSON lands in
// bench/results/.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const ROOT = path.join(__dirname, '..');
require(path.join(ROOT, 'scripts', 'ensure-build.js')); // builds dist/ when missing or stale

const { seed } = require('./seed');
const { cpuSeconds, startFlags, startServer, rssSampler, waitIdle } = require('./lib/server');
const { startCeiling, capture } = require('./lib/ceiling');
const { runLoad, runPaced, sampleRequests } = require('./lib/load');
const { buildCases } = require('./lib/cases');
const { createPgDatabase, dropPgDatabase, verifyCheckout } = require('./lib/db');
const { parseFlags } = require('./lib/args');
const { casesTable, targets, targetsTable } = require('./lib/report');

function parseArgs(argv) {
  const a = parseFlags(argv);
  const quick = !!a.quick;
  const opts = {
    quick,
    db: a.db === 'postgres' || a.db === 'pg' ? 'postgres' : 'sqlite',
    sizes: String(a.sizes ?? (quick ? '1000' : '1000,100000'))
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0),
    duration: Number(a.duration ?? (quick ? 3 : 10)),
    warmup: Number(a.warmup ?? (quick ? 1 : 2)),
    connections: Number(a.connections ?? 50),
    only: a.cases ? String(a.cases).split(',') : null,
    profile: !!a.profile,
    // h and r: the listing's steady rate (default 30 % of a's req/s); fix it for an A/B
    listingRate: a['listing-rate'] ? Number(a['listing-rate']) : null,
    // h and r: the listing evenly spaced (runPaced) instead of autocannon's per-second bursts
    listingPaced: !!a['listing-paced'],
    keep: !!a.keep,
    // another build of the app to measure (an experiment); its dist/ is used as is
    appRoot: a.app ? path.resolve(String(a.app)) : ROOT,
    // the build g is compared with (issue 18: the login A/B), measured in this run on the same
    // catalog, alternating with the app: app, base, app, base
    baseRoot: a.base ? path.resolve(String(a.base)) : null,
    // extra server environment for experiments: --env K=V,K2=V2
    env: Object.fromEntries(
      String(a.env ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  };
  if (!opts.sizes.length || !(opts.duration > 0)) throw new Error('bad --sizes or --duration');
  return opts;
}

const log = (...m) => console.error('[bench]', ...m);

/** What an interrupted run must not leave behind: server processes, throwaway PG databases. */
const live = { servers: new Set(), pgDatabases: new Set() };
async function interrupted(signal) {
  log(`${signal}: stopping the servers and dropping the throwaway databases`);
  for (const s of live.servers) s.child.kill('SIGKILL');
  for (const name of live.pgDatabases) await dropPgDatabase(name).catch(() => undefined);
  process.exit(130);
}
process.once('SIGINT', () => void interrupted('SIGINT'));
process.once('SIGTERM', () => void interrupted('SIGTERM'));
const RESULTS = path.join(__dirname, 'results');

async function measure(kase, server, ceiling, o) {
  await waitIdle([server.pid]);
  const samples = sampleRequests(kase);
  const captured = [];
  for (const req of samples) captured.push(await capture(server.base, req));
  const bad = captured.find((c) => c.status >= 300);
  if (bad) {
    return {
      skipped: true,
      note: `skipped: ${bad.key} answered ${bad.status} ${bad.body.toString().slice(0, 120)}`,
    };
  }
  // a case that rotates over many URLs (e: ~2,000 ids) first asks each of them once, so the
  // measured run sees the steady state (every id read before) whatever the warm-up's length;
  // the first reads themselves are measured by bench/first-reads.js
  if (kase.warmEach) {
    await runLoad(kase, server.base, { connections: o.connections, amount: kase.warmEach });
  }
  const warm = await runLoad(kase, server.base, { connections: o.connections, duration: o.warmup });
  await waitIdle([server.pid]);
  const sampler = rssSampler([server.pid]);
  const cpuBefore = cpuSeconds(server.pid);
  const res = await runLoad(kase, server.base, {
    connections: o.connections,
    duration: o.duration,
  });
  const rssMb = sampler.stop();
  // the server's CPU (user + system) per answered request: what the machine's load moves least
  const cpuMsPerRequest = (1000 * ((cpuSeconds(server.pid) ?? 0) - (cpuBefore ?? 0))) / res.total;
  await waitIdle([server.pid]);
  let ceil = null;
  if (ceiling) {
    await ceiling.serve(captured);
    await runLoad(kase, ceiling.base, { connections: o.connections, duration: 1 });
    ceil = await runLoad(kase, ceiling.base, { connections: o.connections, duration: o.duration });
  }
  return {
    ...res,
    rssMb,
    cpuMsPerRequest,
    ceiling: ceil,
    ratio: ceil ? res.rps / ceil.rps : null,
    warmSteps: warm.steps,
  };
}

/**
 * h and r: the listing at `rate` requests a second over 10 connections, alone and then while 40
 * connections run `other` as fast as they can (h: logins, warmed up first; r: registrations from
 * one client). autocannon's `overallRate` sends each second's share as a burst at full speed and
 * then waits for the next second, so these p99s are a burst's; `--listing-paced` spaces the
 * requests evenly instead (`runPaced`, an open loop).
 */
/** A counter's value from the server's /metrics (open without METRICS_TOKEN); undefined if absent. */
async function counterOf(server, name) {
  try {
    const text = await (await fetch(`${server.base}/metrics`)).text();
    const m = text.match(new RegExp(`^${name} (\\S+)$`, 'm'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function listingDuring(cases, server, o, rate, other, warmOther) {
  const conns = 10;
  const listing = () =>
    o.listingPaced
      ? runPaced(cases.a, server.base, { connections: conns, duration: o.duration, rate })
      : runLoad(cases.a, server.base, {
          connections: conns,
          duration: o.duration,
          overallRate: rate,
        });
  await waitIdle([server.pid]);
  const sampler = rssSampler([server.pid]);
  if (warmOther) {
    await runLoad(other, server.base, { connections: 10, duration: o.warmup });
    await waitIdle([server.pid]);
  }
  const alone = await listing();
  await waitIdle([server.pid]);
  const RESCUES = 'bibarys_password_hash_rescues_total';
  const rescuedBefore = await counterOf(server, RESCUES);
  const [during, load] = await Promise.all([
    listing(),
    runLoad(other, server.base, { connections: 40, duration: o.duration }),
  ]);
  const rescuedAfter = await counterOf(server, RESCUES);
  // hashes a SCHED_IDLE thread left unanswered past their rescue time (run again at the normal
  // policy, so they competed with the listing as hashes did before PASSWORD_HASH_IDLE)
  const rescues = rescuedBefore === undefined ? undefined : rescuedAfter - rescuedBefore;
  return { alone, during, other: load, rate, rssMb: sampler.stop(), rescues };
}

const DURING = {
  h: {
    what: 'a login storm',
    warm: true,
    out: 'storm',
    note: (x, m) =>
      `storm logins ${((x.statuses['200'] ?? 0) / x.seconds).toFixed(1)}/s (200s) ${JSON.stringify(x.statuses)}` +
      (m.rescues === undefined ? '' : `, ${m.rescues} hashes rescued`),
  },
  r: {
    what: 'a register flood',
    warm: false,
    out: 'registerFlood',
    note: (x) => `flood ${x.rps} req/s ${JSON.stringify(x.statuses)}`,
  },
};

/** f on PostgreSQL with two server processes on the same database, half the connections each. */
async function checkoutOnTwo(kase, servers, o) {
  const half = Math.max(1, Math.floor(o.connections / 2));
  await Promise.all(
    servers.map((s) => runLoad(kase, s.base, { connections: half, duration: o.warmup })),
  );
  const samplers = servers.map((s) => rssSampler([s.pid]));
  const runs = await Promise.all(
    servers.map((s) => runLoad(kase, s.base, { connections: half, duration: o.duration })),
  );
  const rssMb = Math.max(...samplers.map((x) => x.stop()));
  const sum = (f) => runs.reduce((a, r) => a + f(r), 0);
  const created = sum((r) => r.steps.order?.['201'] ?? 0);
  const seconds = Math.max(...runs.map((r) => r.seconds));
  const statuses = {};
  for (const r of runs)
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    rps: sum((r) => r.rps),
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
    statuses,
    rssMb,
    perSecond: created / seconds,
    note: `${Math.round(created / seconds)} checkouts/s (RSS: the larger process)`,
  };
}

/** g's logins per second: the 503s past PASSWORD_HASH_QUEUE are answers too, not logins. */
const loginsPerSecond = (r) => (r.statuses['200'] ?? 0) / r.seconds;

/**
 * The login A/B (`--base`): g on the base build, then on the app again, then on the base, each a
 * server of its own over the same catalog (the app's server stays up, idle, meanwhile). The first
 * of the app's rounds is the one already measured (`first`). Each side's logins/s is its mean.
 */
async function loginAB(kase, server, first, { env, logFile, nodeArgs }, o) {
  const mine = [loginsPerSecond(first)];
  const base = [];
  for (let round = 0; round < 2; round++) {
    const other = await startServer({ env, log: logFile, nodeArgs, appRoot: o.baseRoot });
    live.servers.add(other);
    try {
      base.push(loginsPerSecond(await measure(kase, other, null, o)));
    } finally {
      await other.stop();
      live.servers.delete(other);
    }
    if (round === 0) mine.push(loginsPerSecond(await measure(kase, server, null, o)));
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const f1 = (x) => x.toFixed(1);
  return {
    logins: mean(mine),
    base: mean(base),
    rounds: [
      `app ${f1(mine[0])}`,
      `base ${f1(base[0])}`,
      `app ${f1(mine[1])}`,
      `base ${f1(base[1])}`,
    ],
  };
}

async function runSize(size, o, ceiling, secret, isLargest, out) {
  const tag = `${o.db}-${size}`;
  const target =
    o.db === 'postgres'
      ? { db: 'postgres', name: `bibarys_bench_${process.pid}_${size}` }
      : { db: 'sqlite', path: path.join(RESULTS, 'db', `bench-${size}.sqlite`) };
  if (target.db === 'postgres') {
    live.pgDatabases.add(target.name);
    target.url = await createPgDatabase(target.name);
  }
  const servers = [];
  try {
    const meta = await seed({
      db: target.db,
      path: target.path,
      url: target.url,
      products: size,
      appRoot: o.appRoot,
    });
    log(
      `seeded ${size.toLocaleString('en')} products (${JSON.stringify(meta.counts)}) in ${meta.seconds.toFixed(1)} s`,
    );
    out.seeds.push({ size, db: o.db, counts: meta.counts, seconds: meta.seconds });
    const env = {
      JWT_SECRET: secret,
      PAYMENT_WEBHOOK_SECRET: secret,
      ...o.env,
      ...(target.db === 'postgres' ? { DATABASE_URL: target.url } : { DATABASE_PATH: target.path }),
    };
    const nodeArgs = o.profile
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(RESULTS, 'prof', tag)}`]
      : [];
    const logFile = path.join(RESULTS, `server-${tag}.log`);
    const server = await startServer({ env, log: logFile, nodeArgs, appRoot: o.appRoot });
    servers.push(server);
    live.servers.add(server);
    log(`server pid ${server.pid} on ${server.base} (log ${path.relative(ROOT, logFile)})`);
    const cases = buildCases(meta, secret);
    // --quick leaves d2 out unless --cases names it
    const readKeys =
      o.quick && !o.only?.includes('d2')
        ? ['a', 'b', 'c', 'd', 'e']
        : ['a', 'b', 'c', 'd', 'd2', 'e'];
    const keys = [...readKeys, ...(isLargest ? ['g', 'h', 'r', 'f'] : [])].filter(
      (k) => !o.only || o.only.includes(k),
    );
    for (const key of keys) {
      if (DURING[key]) {
        const d = DURING[key];
        const a = out.rows.find((r) => r.size === size && r.key === 'a');
        const rate = o.listingRate ?? Math.max(20, Math.round((a?.rps ?? 400) * 0.3));
        log(`${key}) listing at ${rate} req/s alone, then during ${d.what}`);
        const m = await listingDuring(
          cases,
          server,
          o,
          rate,
          cases[key === 'h' ? 'g' : 'r'],
          d.warm,
        );
        out[d.out] = m;
        out.rows.push({
          size,
          key,
          title: `listing at ${rate}/s during ${d.what} (alone: p99 ${m.alone.p99} ms)`,
          ...m.during,
          rssMb: m.rssMb,
          note: `alone p50/p99 ${m.alone.p50}/${m.alone.p99} ms${m.during.lateP99 !== undefined ? ` (requests left late by p99 ${m.alone.lateP99} / ${m.during.lateP99} ms)` : ''}; ${d.note(m.other, m)}`,
        });
        continue;
      }
      const kase = cases[key];
      log(`${key}) ${kase.title} …`);
      const cpuBefore = cpuSeconds(server.pid);
      const r = await measure(kase, server, ceiling, o);
      const row = { size, key, title: kase.title, ...r };
      if (key === 'g' && !r.skipped) {
        row.loginsPerSecond = loginsPerSecond(r);
        row.note = `${row.loginsPerSecond.toFixed(1)} logins/s (200s)`;
        out.login = { logins: row.loginsPerSecond, base: null, rounds: [] };
        if (o.baseRoot) {
          out.login = await loginAB(kase, server, r, { env, logFile, nodeArgs }, o);
          row.note += `; A/B with ${path.basename(o.baseRoot)}: ${out.login.rounds.join(', ')}`;
        }
      }
      if (key === 'f' && !r.skipped) {
        const created = r.steps.order?.['201'] ?? 0;
        const fiveXx = Object.entries(r.statuses)
          .filter(([s]) => s >= 500)
          .reduce((x, [, v]) => x + v, 0);
        await waitIdle([server.pid]);
        const verify = await verifyCheckout(target, [
          ...meta.hotProductIds,
          ...meta.scarceProductIds,
        ]);
        // every 201 the harness saw: the capture (1), the warm-up and the measured run; requests
        // still in flight when a run stops are answered but not counted (≤ connections per run)
        const counted = 1 + (r.warmSteps.order?.['201'] ?? 0) + created;
        // the server's CPU time (user + system; not the database's) per checkout it completed,
        // warm-up included: a figure that does not move with what else the machine runs
        const cpuMs = (1000 * ((cpuSeconds(server.pid) ?? 0) - (cpuBefore ?? 0))) / counted;
        out.checkout = {
          cpuMsPerCheckout: cpuMs,
          perSecond: created / r.seconds,
          counted,
          inFlightAllowance: 2 * o.connections,
          fiveXx,
          verify,
          steps: r.steps,
        };
        row.note = `${Math.round(created / r.seconds)} checkouts/s, server CPU ${cpuMs.toFixed(2)} ms each; cart ${JSON.stringify(r.steps.cart)} order ${JSON.stringify(r.steps.order ?? {})}; sold out ${verify.soldOut}`;
      }
      out.rows.push(row);
      if (key === 'f' && !r.skipped && target.db === 'postgres') {
        const second = await startServer({ env, log: logFile, nodeArgs, appRoot: o.appRoot });
        servers.push(second);
        live.servers.add(second);
        const two = await checkoutOnTwo(kase, [server, second], o);
        out.checkoutScaling = { one: out.checkout.perSecond, two: two.perSecond };
        out.rows.push({
          size,
          key: 'f2',
          title: 'checkout on 2 server processes (25 + 25 connections)',
          ...two,
        });
        log(`   2 processes: ${Math.round(two.perSecond)} checkouts/s`);
      }
      log(
        `   ${r.skipped ? r.note : `${r.rps} req/s p50 ${r.p50} p99 ${r.p99} ms, ceiling ${r.ceiling?.rps} req/s, RSS ${r.rssMb} MB, server CPU ${r.cpuMsPerRequest?.toFixed(3)} ms/request`}`,
      );
    }
  } finally {
    for (const s of servers) {
      await s.stop();
      live.servers.delete(s);
    }
    if (target.db === 'postgres' && !o.keep) {
      await dropPgDatabase(target.name).catch(() => undefined);
      live.pgDatabases.delete(target.name);
    }
  }
}

function gitCommit(dir) {
  try {
    const { execSync } = require('node:child_process');
    const head = execSync('git rev-parse --short HEAD', {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const dirty = execSync('git status --porcelain -- src', {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return head.toString().trim() + (dirty.toString().trim() ? ' (+ uncommitted src changes)' : '');
  } catch {
    return null;
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(path.join(RESULTS, 'db'), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  const started = new Date();
  const out = {
    started: started.toISOString(),
    options: o,
    nodeFlags: startFlags(o.appRoot),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadavg: os.loadavg(),
    },
    app: { root: o.appRoot, commit: gitCommit(o.appRoot) },
    base: o.baseRoot ? { root: o.baseRoot, commit: gitCommit(o.baseRoot) } : null,
    seeds: [],
    rows: [],
  };
  log(
    `${o.db}, sizes ${o.sizes.join(', ')}, ${o.duration} s per case, ${o.connections} connections; load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const ceiling = await startCeiling();
  try {
    const largest = Math.max(...o.sizes);
    for (const size of o.sizes) await runSize(size, o, ceiling, secret, size === largest, out);
  } finally {
    await ceiling.close();
  }
  out.finished = new Date().toISOString();
  out.machine.loadavgAfter = os.loadavg();
  out.targets = targets(out.rows, {
    db: o.db,
    seeds: out.seeds,
    login: out.login,
    checkout: out.checkout,
    storm: out.storm,
    registerFlood: out.registerFlood,
    checkoutScaling: out.checkoutScaling,
  });
  const md = [
    `## Bibarys benchmark — ${o.db}, ${out.started.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `App: ${out.app.commit ?? out.app.root}${out.base ? ` (g's base: ${out.base.commit ?? out.base.root})` : ''}, server started with \`node ${[...out.nodeFlags, 'dist/main.js'].join(' ')}\`. Machine: ${out.machine.cpus} × ${out.machine.model}, ${out.machine.memGb} GB, Node ${out.machine.node}; load average before ${out.machine.loadavg.map((x) => x.toFixed(1)).join(' ')}, after ${out.machine.loadavgAfter.map((x) => x.toFixed(1)).join(' ')}. ${o.connections} connections, ${o.duration} s per case after a ${o.warmup} s warm-up.`,
    '',
    casesTable(out.rows),
    '',
    targetsTable(out.targets),
    '',
  ].join('\n');
  console.log(md);
  const stamp = out.started.replace(/[:.]/g, '-').slice(0, 19);
  const file = path.join(RESULTS, `bench-${o.db}-${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...out, markdown: md }, null, 2));
  fs.writeFileSync(path.join(RESULTS, `latest-${o.db}.md`), md);
  log(`results: ${path.relative(ROOT, file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
