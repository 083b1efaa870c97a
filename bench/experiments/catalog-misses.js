'use strict';
// `node bench/experiments/catalog-misses.js bench/results/db/bench-100000.sqlite …more files`
// What a catalog-cache miss of the bench's cases a, c, d, d2 costs in SQLite on each seeded
// file: the statements the repository sends (the total and the page), timed with
// better-sqlite3, rounds interleaved over the files, mean and max of the rounds after one
// untimed run. The unfiltered total both ways: COUNT(*) over the products (before the
// product_counts table) and the SUM over product_counts (after; skipped on an older schema).
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const Database = require(path.join(ROOT, 'node_modules/better-sqlite3'));

const ACTIVE = 'FROM "products" "p" WHERE "p"."is_active" = 1';
// the search index keyed by products.search_key (migration ProductSearchKey), else by id (older)
const KEYED = '"p"."search_key" IN (SELECT rowid';
const fts = (term) =>
  `${ACTIVE} AND ${KEYED} FROM products_fts WHERE products_fts MATCH '"${term}"')`;
const byId = (sql) => sql.replace(KEYED, '"p"."id" IN (SELECT id');
const relevance = (term) =>
  `ORDER BY CASE WHEN "p"."name_search" LIKE '%${term}%' ESCAPE '\\' THEN 0 ELSE 1 END ASC, "p"."created_at" DESC, "p"."id" DESC LIMIT 20`;
const C = `${ACTIVE} AND "p"."category" = 'electronics' AND "p"."price" >= 500000 AND "p"."price" <= 30000000`;

const STATEMENTS = {
  'a total: COUNT(*) (before)': `SELECT COUNT(*) AS n ${ACTIVE}`,
  'a total: SUM(product_counts) (after)': 'SELECT COALESCE(SUM(c.active), 0) AS n FROM product_counts c WHERE 1 = 1',
  'a page': `SELECT "p".* ${ACTIVE} ORDER BY "p"."created_at" DESC, "p"."id" DESC LIMIT 20`,
  'c total': `SELECT COUNT(*) AS n ${C}`,
  'c page': `SELECT "p".* ${C} ORDER BY "p"."price" ASC, "p"."id" ASC LIMIT 20`,
  'd total': `SELECT COUNT(*) AS n ${fts('смартфон')}`,
  'd page': `SELECT "p".* ${fts('смартфон')} ${relevance('смартфон')}`,
  'd2 total': `SELECT COUNT(*) AS n ${fts('ұлттық')}`,
  'd2 page': `SELECT "p".* ${fts('ұлттық')} ${relevance('ұлттық')}`,
};

const files = process.argv.slice(2);
const rounds = Number(process.env.ROUNDS ?? 5);
const dbs = files.map((f) => ({ f, db: new Database(f, { readonly: true }) }));
const times = new Map();
for (const { f, db } of dbs) {
  for (const [k, sql] of Object.entries(STATEMENTS)) {
    let st;
    const keyed = db
      .prepare("SELECT 1 FROM pragma_table_info('products') WHERE name = 'search_key'")
      .get();
    try {
      st = db.prepare(keyed ? sql : byId(sql));
    } catch {
      continue; // no product_counts in this schema
    }
    st.all(); // untimed: the OS page cache
    times.set(`${f}|${k}`, { st, ms: [] });
  }
}
for (let r = 0; r < rounds; r++) {
  for (const [, t] of times) {
    const t0 = process.hrtime.bigint();
    const rows = t.st.all();
    t.ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    t.n = rows.length === 1 && 'n' in rows[0] ? rows[0].n : rows.length;
  }
}
console.log(`| statement | ${files.map((f) => path.basename(f)).join(' | ')} |`);
console.log(`|---|${files.map(() => '---:').join('|')}|`);
for (const k of Object.keys(STATEMENTS)) {
  const cells = files.map((f) => {
    const t = times.get(`${f}|${k}`);
    if (!t) return '–';
    const mean = t.ms.reduce((a, b) => a + b, 0) / t.ms.length;
    return `${mean.toFixed(2)} ms (max ${Math.max(...t.ms).toFixed(2)}; ${t.n})`;
  });
  console.log(`| ${k} | ${cells.join(' | ')} |`);
}
