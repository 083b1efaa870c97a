'use strict';
// A V8 CPU profile of the server summarised over a window only (startup left out):
//   SKIP_MS=9000 [END_MS=10000] node bench/experiments/profile-window.js <file.cpuprofile> [top]   (HIST=1: busy ms per second first)
// Prints inclusive time by the app's (dist/) frames, then self time by package and by function, over the samples after SKIP_MS.
// inclusive time by nearest app (dist/) frame, and for the sqlite query / typeorm self time by nearest dist frame
const fs = require('fs');
const p = JSON.parse(fs.readFileSync(process.argv[2]));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const skip = Number(process.env.SKIP_MS || 0) * 1000;
const end = process.env.END_MS ? Number(process.env.END_MS) * 1000 : Infinity;
let t = 0;
const hist = {};
const self = new Map();
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i] || 0;
  const nm = byId.get(p.samples[i]).callFrame.functionName;
  if (nm !== '(idle)') {
    const sec = Math.floor(t / 1e6);
    hist[sec] = (hist[sec] || 0) + (p.timeDeltas[i] || 0) / 1000;
  }
  if (t < skip || t >= end) continue;
  self.set(p.samples[i], (self.get(p.samples[i]) || 0) + (p.timeDeltas[i] || 0));
}
if (process.env.HIST)
  console.log(
    Object.entries(hist)
      .map(([k, v]) => k + ':' + v.toFixed(0))
      .join(' '),
  );
const name = (n) => {
  const f = n.callFrame;
  const u = f.url.replace(/^file:\/\//, '');
  return `${f.functionName || '(anon)'} ${u.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
};
const isApp = (n) => n.callFrame.url.includes('/dist/');
const incl = new Map();
const bySql = new Map();
const byTo = new Map();
let total = 0;
const top = Number(process.argv[3] || 40);
for (const [id, us] of self) {
  const n = byId.get(id);
  if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') continue;
  total += us;
  // chain of app frames
  const seen = new Set();
  let cur = id;
  let first = null;
  while (cur !== undefined) {
    const m = byId.get(cur);
    if (isApp(m)) {
      const k = name(m);
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) || 0) + us);
      }
      if (!first) first = k;
    }
    cur = parent.get(cur);
  }
  const u = n.callFrame.url;
  if (u.includes('typeorm')) byTo.set(first || '(none)', (byTo.get(first || '(none)') || 0) + us);
}
const pr = (m, t) => {
  console.log('\n' + t);
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([k, v]) =>
      console.log(
        (v / 1000).toFixed(0).padStart(7),
        'ms',
        ((100 * v) / total).toFixed(1).padStart(5) + '%',
        k,
      ),
    );
};
console.log('total busy', (total / 1000).toFixed(0), 'ms');
pr(incl, 'inclusive by app frame');
pr(byTo, 'typeorm self by nearest app frame');
{
  const pkg = new Map();
  const fnm = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    const f = n.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    const url = f.url.replace(/^file:\/\//, '');
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const g = m
      ? m[1]
      : url.includes('/dist/')
        ? 'app'
        : url.startsWith('node:')
          ? 'node'
          : f.functionName.startsWith('(')
            ? f.functionName
            : url
              ? 'other'
              : 'native';
    pkg.set(g, (pkg.get(g) || 0) + us);
    const k =
      (f.functionName || '(anon)') +
      ' ' +
      url.split('/').slice(-2).join('/') +
      ':' +
      (f.lineNumber + 1);
    fnm.set(k, (fnm.get(k) || 0) + us);
  }
  pr(pkg, 'self by package (window)');
  pr(fnm, 'self by function (window)');
}
