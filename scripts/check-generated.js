// CI: the committed OpenAPI document and the typed client's generated types are current.
// Regenerates both into a temporary folder from the built server and compares them with the
// committed files; a difference fails with the command that brings them up to date.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bibarys-generated-'));
const docTmp = path.join(tmp, 'openapi.json');
const typesTmp = path.join(tmp, 'schema.d.ts');
const DOC = 'openapi.json';
const TYPES = 'clients/typescript/src/schema.d.ts';

execFileSync(process.execPath, [path.join(root, 'dist/openapi.js'), docTmp], { cwd: root });
execFileSync(
  process.execPath,
  [path.join(root, 'node_modules/openapi-typescript/bin/cli.js'), docTmp, '-o', typesTmp],
  { cwd: root, stdio: 'ignore' },
);

let stale = 0;
for (const [fresh, committed] of [
  [docTmp, DOC],
  [typesTmp, TYPES],
]) {
  const file = path.join(root, committed);
  const want = fs.readFileSync(fresh, 'utf8');
  const have = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (want === have) {
    console.log(`${committed} is current`);
    continue;
  }
  stale++;
  const a = have.split('\n');
  const b = want.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  console.error(`${committed} is stale: first difference at line ${i + 1}`);
  console.error(`  committed: ${a[i] ?? '(end of file)'}`);
  console.error(`  generated: ${b[i] ?? '(end of file)'}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
if (stale) {
  console.error('Run `npm run openapi && npm run client:gen` and commit the result.');
  process.exit(1);
}
