'use strict';
// The longest stretches in which a V8 CPU profile's thread never went idle, and what filled each:
//   node bench/experiments/profile-stalls.js <file.cpuprofile> [count] [minMs]
// A stretch is a run of samples none of which is "(idle)" (a gap between samples of over 5 ms is
// a break too: the sampler was starved, not the thread). For each: when it started (ms since
// the profile began), how long it was, the share the collector took, and the frames with the most
// self time in it, each with its nearest dist/ (app) frame. The p99 of a paced load is made of
// such stretches; their sum per second is `profile-window.js`'s HIST.
const fs = require('fs');
const [file, countArg, minArg] = process.argv.slice(2);
const count = Number(countArg || 10);
const minMs = Number(minArg || 5);
const p = JSON.parse(fs.readFileSync(file));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const short = (n) => {
  const f = n.callFrame;
  const u = f.url.replace(/^file:\/\//, '');
  return `${f.functionName || '(anon)'} ${u.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
};
const appFrame = (id) => {
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur);
    if (n.callFrame.url.includes('/dist/')) return short(n);
  }
  return '-';
};
const stretches = [];
let cur = null;
let t = 0;
for (let i = 0; i < p.samples.length; i++) {
  const dt = p.timeDeltas[i] || 0;
  t += dt;
  const n = byId.get(p.samples[i]);
  const idle = n.callFrame.functionName === '(idle)';
  if (idle || dt > 5000) {
    if (cur) stretches.push(cur);
    cur = null;
    if (idle) continue;
  }
  if (!cur) cur = { start: t - dt, us: 0, gc: 0, self: new Map() };
  cur.us += dt;
  if (n.callFrame.functionName === '(garbage collector)') cur.gc += dt;
  const key = `${short(n)}  <  ${appFrame(p.samples[i])}`;
  cur.self.set(key, (cur.self.get(key) || 0) + dt);
}
if (cur) stretches.push(cur);
const long = stretches.filter((s) => s.us >= minMs * 1000).sort((a, b) => b.us - a.us);
console.log(
  `${stretches.length} busy stretches, ${long.length} of ${minMs} ms or more; the longest ${count}:`,
);
for (const s of long.slice(0, count)) {
  console.log(
    `\nat ${(s.start / 1000).toFixed(0)} ms: ${(s.us / 1000).toFixed(1)} ms busy, collector ${(s.gc / 1000).toFixed(1)} ms`,
  );
  for (const [k, v] of [...s.self].sort((a, b) => b[1] - a[1]).slice(0, 6))
    console.log(`  ${(v / 1000).toFixed(1).padStart(6)} ms  ${k}`);
}
