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

/** Evaluates the targets on the rows measured (largest catalog vs the smallest). */
function targets(rows, { checkout, storm, registerFlood, checkoutScaling }) {
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
  const L = sizes[sizes.length - 1];
  const S = sizes[0];
  const at = (size, key) => rows.find((r) => r.size === size && r.key === key);
  const t = [];
  const add = (name, measured, ok) => t.push({ name, measured, ok });
  for (const k of ['a', 'c', 'e']) {
    const r = at(L, k);
    if (r)
      add(
        `${k}) ≥ 25% of ceiling, p99 ≤ 25 ms (${L.toLocaleString('en')})`,
        `${pct(r.ratio)}, p99 ${fmt(r.p99)} ms`,
        r.ratio >= 0.25 && r.p99 <= 25,
      );
  }
  const a = at(L, 'a');
  const b = at(L, 'b');
  if (a && b)
    add(
      'b) deep page within 20% of a',
      `${fmt(b.rps)} vs ${fmt(a.rps)} req/s (${pct(b.rps / a.rps)})`,
      b.rps >= 0.8 * a.rps,
    );
  const d = at(L, 'd');
  if (a && d)
    add(
      'd) search ≥ 50% of a',
      `${fmt(d.rps)} vs ${fmt(a.rps)} req/s (${pct(d.rps / a.rps)})`,
      d.rps >= 0.5 * a.rps,
    );
  if (L !== S) {
    for (const k of ['a', 'c', 'd']) {
      const big = at(L, k);
      const small = at(S, k);
      if (big && small)
        add(
          `${k}) at ${L.toLocaleString('en')} within 20% of ${S.toLocaleString('en')}`,
          `${fmt(big.rps)} vs ${fmt(small.rps)} req/s (${pct(big.rps / small.rps)})`,
          big.rps >= 0.8 * small.rps,
        );
    }
  }
  if (checkout) {
    add(
      'f) ≥ 300 checkouts/s, zero oversell, zero 5xx',
      `${fmt(checkout.perSecond)} /s, oversold ${checkout.verify.oversold}, negative ${checkout.verify.negative}, ledger drift ${checkout.verify.ledgerDrift}, 5xx ${checkout.fiveXx}; orders in the DB ${checkout.verify.newOrders} vs 201s counted ${checkout.counted}`,
      checkout.perSecond >= 300 &&
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
      'f) PostgreSQL: 2 server processes give more than 1',
      `${fmt(checkoutScaling.two)} vs ${fmt(checkoutScaling.one)} checkouts/s`,
      checkoutScaling.two > checkoutScaling.one,
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
      'r) listing p99 during a register flood from one client ≤ 2× alone',
      `${fmt(f.during.p99)} vs ${fmt(f.alone.p99)} ms (${fmt(f.during.p99 / Math.max(1, f.alone.p99), 1)}×); flood ${JSON.stringify(f.other.statuses)}`,
      f.during.p99 <= 2 * Math.max(1, f.alone.p99),
    );
  }
  const rss = Math.max(...rows.map((r) => r.rssMb ?? 0));
  add('server RSS ≤ 250 MB', `${fmt(rss)} MB peak`, rss <= 250);
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
