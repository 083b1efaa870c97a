'use strict';
// Summarises a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile`):
//   node bench/profile-top.js bench/results/prof/<tag>/<file>.cpuprofile [--top 25]
// Prints self time by function and by package (node_modules/<pkg>, the app's dist/, node internals).
const fs = require('node:fs');
const path = require('node:path');

function summarise(file, top = 25) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const fn = new Map();
  const pkg = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id);
    const name = f.functionName || '(anonymous)';
    if (name === '(idle)') continue;
    total += us;
    const url = f.url.replace(/^file:\/\//, '');
    const short = url ? `${url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}` : '';
    const key = `${name} ${short}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const group = m
      ? m[1]
      : url.includes('/dist/')
        ? 'app (dist/)'
        : url.startsWith('node:')
          ? 'node internals'
          : name.startsWith('(')
            ? name
            : url
              ? 'other'
              : 'native/V8';
    pkg.set(group, (pkg.get(group) ?? 0) + us);
  }
  const rows = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, us]) =>
          `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
      )
      .join('\n');
  return `${path.basename(file)}: ${(total / 1000).toFixed(0)} ms busy\n\nby package\n${rows(pkg)}\n\nby function (self time)\n${rows(fn)}`;
}

if (require.main === module) {
  const file = process.argv[2];
  const i = process.argv.indexOf('--top');
  if (!file) {
    console.error('usage: node bench/profile-top.js <file.cpuprofile> [--top 25]');
    process.exit(2);
  }
  console.log(summarise(file, i > 0 ? Number(process.argv[i + 1]) : 25));
}

module.exports = { summarise };
