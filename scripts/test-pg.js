// Runs the e2e suites on PostgreSQL: every test file creates its own throwaway database on
// 127.0.0.1:5432 (user postgres) and drops it; leftovers of a killed run are dropped at the end.
const { spawnSync } = require('child_process');
const { Client } = require('pg');

const base = process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
// databases of this run are named bibarys_test_<run>_*: the cleanup leaves other runs alone
const run = `r${process.pid}`;

async function cleanup() {
  const c = new Client({ connectionString: base });
  await c.connect();
  const { rows } = await c.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
    `bibarys_test_${run}_%`,
  ]);
  for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  await c.end();
}

(async () => {
  const args = process.argv.slice(2);
  const res = spawnSync('npx', ['jest', '--runInBand', ...(args.length ? args : ['test/'])], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: base, TEST_DB_RUN: run },
  });
  try {
    await cleanup();
  } catch (e) {
    console.error('cleanup failed:', e.message);
  }
  process.exit(res.status ?? 1);
})();
