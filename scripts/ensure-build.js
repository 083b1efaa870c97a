// Builds dist/ when it is missing or older than any file in src/ (or dashboard/src/), so `npm start` works on a fresh clone.
const fs = require('fs');
const path = require('path');
const { execSync } = require('child_process');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'main.js');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const dashboard = path.join(root, 'dist', 'dashboard', 'index.html');
const stale =
  !fs.existsSync(entry) ||
  fs.statSync(entry).mtimeMs < newest(path.join(root, 'src')) ||
  !fs.existsSync(dashboard) ||
  fs.statSync(dashboard).mtimeMs < newest(path.join(root, 'dashboard', 'src'));
if (stale) {
  console.log('[bibarys] building dist/ ...');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
