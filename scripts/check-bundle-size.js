// The dashboard's budget (issue 19): all of its JavaScript, gzipped, at most 250 KB. Run after
// `npm run build` (CI does); prints each file and fails above the budget.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const BUDGET = Number(process.env.DASHBOARD_JS_BUDGET_KB ?? 250) * 1024;
const dir = path.join(__dirname, '..', 'dist', 'dashboard', 'assets');
if (!fs.existsSync(dir)) {
  console.error(`no ${dir}: run npm run build first`);
  process.exit(1);
}
let total = 0;
for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.js')).sort()) {
  const raw = fs.readFileSync(path.join(dir, name));
  const gz = zlib.gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`${name.padEnd(40)} ${(raw.length / 1024).toFixed(1).padStart(8)} KB  ${(gz / 1024).toFixed(1).padStart(7)} KB gz`);
}
console.log(`dashboard JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error('over budget');
  process.exit(1);
}
