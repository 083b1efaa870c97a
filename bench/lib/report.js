'use strict';
// The markdown tables: every measured case, then the targets with pass/fail.

const fmt = (v, d = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(d);
const pct = (v) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${Math.round(v * 100)}%`;

function statusText(r) {
  return (
    Object.entries(r.statuses ?? {})
      .map(([k, v]) => `${k}×${v}`)
      .join(' ') +
    (r.errors ? ` err×${r.errors}` : '') +
    (r.timeouts ? ` timeout×${r.timeouts}` : '')
  );
}

function casesTable(rows) {
  const out = [
    '| catalog | case | req/s | p50 ms | p99 ms | ceiling req/s | ratio | ceiling p99 ms | server RSS MB | responses | note |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    out.push(
      `| ${r.size.toLocaleString('en')} | ${r.key}) ${r.title} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.ceiling?.rps)} | ${pct(r.ratio)} | ${fmt(r.ceiling?.p99)} | ${fmt(r.rssMb)} | ${statusText(r)} | ${r.note ?? ''} |`,
    );
  }
  return out.join('\n');
}

/** The read cases and the share of their ceiling each must reach (issue 18). */
const READS = ['a', 'b', 'c', 'd', 'd2', 'e'];
const GROWTH = ['a', 'c', 'd'];
/** Issue 18's targets by database. */
const GOALS = {
  sqlite: { readRatio: 0.35, checkouts: 400 },
  postgres: { readRatio: 0.25, checkouts: 150 },
};

/**
 * Evaluates issue 18's targets on the rows measured: the reads at 100,000 products (or the largest
 * catalog measured, when none was that size), the growth of the largest catalog over 100,000, the
 * checkout, logins against the base build measured in the same run (`--base`), the listing during
 * a login storm and a register flood, and the server's memory.
 */
function targets(
  rows,
  { db = 'sqlite', checkout, storm, registerFlood, checkoutScaling, seeds = [], login },
) {
  const goal = GOALS[db] ?? GOALS.sqlite;
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
  const L = sizes[sizes.length - 1];
  const R = sizes.includes(100000) ? 100000 : L;
  const at = (size, key) => rows.find((r) => r.size === size && r.key === key);
  const t = [];
  const add = (name, measured, ok) => t.push({ name, measured, ok });
  const n = (size) => size.toLocaleString('en');
  for (const k of READS) {
    const r = at(R, k);
    if (r && !r.skipped)
      add(
        `${k}) ≥ ${pct(goal.readRatio)} of the ceiling, p99 ≤ 20 ms (${n(R)})`,
        `${pct(r.ratio)}, p99 ${fmt(r.p99)} ms (the ceiling's p99 ${fmt(r.ceiling?.p99)} ms${r.ceiling?.p99 > 20 ? ': the bare server misses 20 ms on this machine too' : ''})`,
        r.ratio >= goal.readRatio && r.p99 <= 20,
      );
  }
  if (L > R) {
    for (const k of GROWTH) {
      const big = at(L, k);
      const small = at(R, k);
      if (big && small)
        add(
          `${k}) at ${n(L)} within 20% of ${n(R)}`,
          `${fmt(big.rps)} vs ${fmt(small.rps)} req/s (${pct(big.rps / small.rps)})`,
          big.rps >= 0.8 * small.rps,
        );
    }
    const seeded = seeds.find((s) => s.size === L);
    if (seeded && L >= 1000000)
      add(
        `seed ${n(L)} products in under 3 minutes`,
        `${fmt(seeded.seconds)} s`,
        seeded.seconds < 180,
      );
  }
  if (checkout) {
    add(
      `f) ≥ ${goal.checkouts} checkouts/s, zero oversell, zero 5xx, ledger consistent`,
      `${fmt(checkout.perSecond)} /s, oversold ${checkout.verify.oversold}, negative ${checkout.verify.negative}, ledger drift ${checkout.verify.ledgerDrift}, 5xx ${checkout.fiveXx}; orders in the DB ${checkout.verify.newOrders} vs 201s counted ${checkout.counted}`,
      checkout.perSecond >= goal.checkouts &&
        checkout.verify.oversold === 0 &&
        checkout.verify.negative === 0 &&
        checkout.verify.ledgerDrift === 0 &&
        checkout.fiveXx === 0 &&
        checkout.verify.newOrders >= checkout.counted &&
        checkout.verify.newOrders - checkout.counted <= checkout.inFlightAllowance,
    );
  }
  if (checkoutScaling) {
    add(
      'f2) PostgreSQL: 2 server processes give more than 1 (issue 8)',
      `${fmt(checkoutScaling.two)} vs ${fmt(checkoutScaling.one)} checkouts/s`,
      checkoutScaling.two > checkoutScaling.one,
    );
  }
  if (login) {
    const ratio = login.base ? login.logins / login.base : null;
    add(
      "g) ≥ 2.5× the base build's logins/s, same bcrypt cost, A/B in this run",
      login.base
        ? `${fmt(login.logins, 1)} vs ${fmt(login.base, 1)} logins/s (${fmt(ratio, 2)}×; rounds ${login.rounds.join(', ')})`
        : `${fmt(login.logins, 1)} logins/s; no base build measured (\`--base <app root>\`)`,
      ratio !== null && ratio >= 2.5,
    );
  }
  if (storm) {
    add(
      'h) listing p99 during a login storm ≤ 2× alone',
      `${fmt(storm.during.p99)} vs ${fmt(storm.alone.p99)} ms (${fmt(storm.during.p99 / Math.max(1, storm.alone.p99), 1)}×)`,
      storm.during.p99 <= 2 * Math.max(1, storm.alone.p99),
    );
  }
  if (registerFlood) {
    const f = registerFlood;
    add(
      'r) listing p99 during a register flood from one client ≤ 2× alone (issue 16)',
      `${fmt(f.during.p99)} vs ${fmt(f.alone.p99)} ms (${fmt(f.during.p99 / Math.max(1, f.alone.p99), 1)}×); flood ${JSON.stringify(f.other.statuses)}`,
      f.during.p99 <= 2 * Math.max(1, f.alone.p99),
    );
  }
  const rss = Math.max(...rows.map((r) => r.rssMb ?? 0));
  add('server RSS ≤ 200 MB (the peak of the run)', `${fmt(rss)} MB`, rss <= 200);
  return t;
}

function targetsTable(ts) {
  return [
    '| target | measured | met |',
    '|---|---|---|',
    ...ts.map((t) => `| ${t.name} | ${t.measured} | ${t.ok ? 'yes' : '**no**'} |`),
  ].join('\n');
}

module.exports = { casesTable, targets, targetsTable };
