'use strict';
// Bulk seeder for the benchmark: writes a whole marketplace straight into a database that has the
// app's schema (made by the app's own migrations), in big transactions with prepared statements
// (better-sqlite3) or multi-row INSERTs (pg). 100k products with their orders and reviews load in
// seconds. Usable on its own:
//   node bench/seed.js --products 100000 [--db sqlite --path data/bench.sqlite | --db postgres --url postgres://...]
const path = require('node:path');
const fs = require('node:fs');
const { randomUUID } = require('node:crypto');
const { CATEGORIES, SENTENCES, FIRST_NAMES, LAST_NAMES, REVIEW_COMMENTS } = require('./lib/words');
const { Progress } = require('./lib/progress');

const ROOT = path.join(__dirname, '..');
const PASSWORD = 'bench-password-1';
const BCRYPT_ROUNDS = 10; // the app's default BCRYPT_ROUNDS: logins cost what they cost in production
const SELLERS = 50;
const CATEGORY_NAMES = Object.keys(CATEGORIES);
const DAY = 86_400_000;

/** A small fast deterministic PRNG, so every run seeds the same catalog. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, arr) => arr[Math.floor(r() * arr.length)];

/** The schema, by the app's own migrations (the built dist/), then the DataSource is closed. */
async function createSchema(target, appRoot = ROOT) {
  if (target.db === 'postgres') process.env.DATABASE_URL = target.url;
  const { DataSource } = require(path.join(ROOT, 'node_modules/typeorm'));
  const { dataSourceOptions } = require(path.join(appRoot, 'dist/database/data-source-options.js'));
  const database =
    target.db === 'postgres'
      ? { type: 'postgres', url: target.url }
      : { type: 'sqlite', path: target.path, busyTimeoutMs: 5000, cacheMb: 16 };
  const ds = new DataSource(dataSourceOptions(database));
  await ds.initialize(); // migrationsRun: true
  await ds.destroy();
}

/** One writer interface over both drivers: add rows per table, flushed in big batches. */
/**
 * The active products per seller and category as written (`product_counts`, a newer schema's
 * counters, filled at the end the way its triggers would have left it: a GROUP BY over the
 * products would read the whole table again, 26 s at 1,000,000).
 */
class ActiveCounts {
  constructor() {
    this.activeCounts = new Map();
  }
  countActive(sellerId, category) {
    const k = `${sellerId}|${category}`;
    this.activeCounts.set(k, (this.activeCounts.get(k) ?? 0) + 1);
  }
  rows() {
    return [...this.activeCounts].map(([k, n]) => [...k.split('|'), n]);
  }
}
const COUNTS_INSERT = 'INSERT INTO product_counts (seller_id, category, active) VALUES ';

class SqliteWriter extends ActiveCounts {
  constructor(file) {
    super();
    const Database = require(path.join(ROOT, 'node_modules/better-sqlite3'));
    this.db = new Database(file);
    // A bulk load into a fresh file: no rollback journal and no WAL while loading (every page
    // would be written twice: to the WAL, then by the checkpoint); WAL again at the end, as the
    // server expects. A crash mid-seed leaves a file the next run deletes anyway.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('cache_size = -400000'); // random UUID keys: keep the whole B-trees in memory
    this.db.pragma('foreign_keys = OFF'); // rows are written parents first anyway
    this.stmts = new Map();
    this.count = 0;
    // Secondary indexes are rebuilt once at the end: much cheaper than maintaining them per row.
    this.indexes = this.db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .all();
    for (const ix of this.indexes) this.db.exec(`DROP INDEX ${ix.name}`);
    // Likewise the search index: the insert trigger would add each product to products_fts one
    // row at a time; one INSERT … SELECT at the end builds the same index in one pass.
    this.ftsTrigger = this.db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'products_fts_ai'")
      .get();
    if (this.ftsTrigger) this.db.exec('DROP TRIGGER products_fts_ai');
    // and the per-seller, per-category counters (an upsert per product): one GROUP BY at the end
    this.countsTrigger = this.db
      .prepare(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'product_counts_ai'",
      )
      .get();
    if (this.countsTrigger) this.db.exec('DROP TRIGGER product_counts_ai');
    // products_fts is keyed by products.search_key (migration ProductSearchKey), which the dropped
    // trigger would have given each product: the rows get theirs as they are written, above every
    // key given before (an older schema has no such column and keys the index by id)
    this.keyed =
      !!this.ftsTrigger &&
      !!this.db
        .prepare("SELECT 1 FROM pragma_table_info('products') WHERE name = 'search_key'")
        .get();
    this.keyBefore = this.keyed
      ? this.db.prepare('SELECT IFNULL(MAX(search_key), 0) FROM products').pluck().get()
      : 0;
    this.nextKey = this.keyBefore;
    this.db.exec('BEGIN');
  }
  bool(v) {
    return v ? 1 : 0;
  }
  async hasTable(name) {
    return !!this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(name);
  }
  ts(ms) {
    return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
  }
  async add(table, cols, row) {
    if (table === 'products' && this.keyed) {
      cols = [...cols, 'search_key'];
      row = [...row, ++this.nextKey];
    }
    const key = table + '|' + cols.join(',');
    let s = this.stmts.get(key);
    if (!s) {
      s = this.db.prepare(
        `INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`,
      );
      this.stmts.set(key, s);
    }
    s.run(row);
    if (++this.count % 200_000 === 0) {
      this.db.exec('COMMIT');
      this.db.exec('BEGIN');
    }
  }
  async flush() {}
  async close() {
    this.db.exec('COMMIT');
    const t0 = Date.now();
    const took = (what) =>
      process.stderr.write(`\n[seed] ${what} ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    if (this.ftsTrigger) {
      this.db.exec('BEGIN');
      // one bulk insert: FTS5's merges of its segments as they fill are put off (automerge 0,
      // crisismerge up to 2000 segments) and done once at the end ('optimize': one segment, as
      // searches like it); then the table's merge settings are set back to FTS5's defaults for
      // the server's inserts. 1M products: 73 s with the defaults, 27 + 16 s this way.
      const fts = (cmd, rank) =>
        rank === undefined
          ? this.db.exec(`INSERT INTO products_fts(products_fts) VALUES('${cmd}')`)
          : this.db.exec(`INSERT INTO products_fts(products_fts, rank) VALUES('${cmd}', ${rank})`);
      fts('automerge', 0);
      fts('crisismerge', 2000);
      if (this.keyed) {
        this.db
          .prepare(
            'INSERT INTO products_fts (rowid, search_text) SELECT search_key, search_text FROM products WHERE search_key > ?',
          )
          .run(this.keyBefore);
      } else {
        this.db.exec(
          'INSERT INTO products_fts (id, search_text) SELECT id, search_text FROM products',
        );
      }
      fts('optimize');
      fts('automerge', 4);
      fts('crisismerge', 16);
      this.db.exec(this.ftsTrigger.sql);
      this.db.exec('COMMIT');
      took('search index built at');
    }
    if (this.countsTrigger) {
      this.db.exec('BEGIN');
      this.db.exec('DELETE FROM product_counts');
      const add = this.db.prepare(`${COUNTS_INSERT}(?, ?, ?)`);
      for (const row of this.rows()) add.run(row);
      this.db.exec(this.countsTrigger.sql);
      this.db.exec('COMMIT');
    }
    for (const ix of this.indexes) this.db.exec(ix.sql);
    took('indexes rebuilt at');
    this.db.exec('ANALYZE');
    took('analyzed at');
    this.db.pragma('locking_mode = NORMAL');
    this.db.pragma('journal_mode = WAL');
    this.db.close();
  }
}

class PgWriter extends ActiveCounts {
  constructor(url) {
    super();
    const { Client } = require(path.join(ROOT, 'node_modules/pg'));
    this.client = new Client({ connectionString: url });
    this.buffers = new Map();
  }
  async open() {
    await this.client.connect();
    await this.client.query('BEGIN');
    // the per-row counters trigger (a plpgsql call per product) is off while loading; one
    // GROUP BY at the end in the same transaction
    const { rows } = await this.client.query(
      "SELECT 1 FROM pg_trigger WHERE tgname = 'product_counts_ai'",
    );
    this.counts = rows.length > 0;
    if (this.counts)
      await this.client.query('ALTER TABLE products DISABLE TRIGGER product_counts_ai');
  }
  bool(v) {
    return !!v;
  }
  async hasTable(name) {
    const { rows } = await this.client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [name]);
    return rows[0].ok;
  }
  ts(ms) {
    return new Date(ms).toISOString();
  }
  async add(table, cols, row) {
    if (table === 'products' && this.keyed) {
      cols = [...cols, 'search_key'];
      row = [...row, ++this.nextKey];
    }
    const key = table + '|' + cols.join(',');
    let b = this.buffers.get(key);
    if (!b) {
      b = { table, cols, rows: [], max: Math.min(1000, Math.floor(60_000 / cols.length)) };
      this.buffers.set(key, b);
    }
    b.rows.push(row);
    if (b.rows.length >= b.max) await this.write(b);
  }
  async write(b) {
    if (!b.rows.length) return;
    const n = b.cols.length;
    const values = [];
    const params = [];
    b.rows.forEach((row, i) => {
      values.push(`(${row.map((_, j) => `$${i * n + j + 1}`).join(',')})`);
      for (const v of row) params.push(v);
    });
    b.rows = [];
    await this.client.query(
      `INSERT INTO ${b.table} (${b.cols.join(',')}) VALUES ${values.join(',')}`,
      params,
    );
  }
  /** Parents must land before children (foreign keys are checked at once on PostgreSQL). */
  async flush() {
    for (const b of this.buffers.values()) await this.write(b);
  }
  async close() {
    await this.flush();
    if (this.counts) {
      await this.client.query('DELETE FROM product_counts');
      for (const row of this.rows()) await this.client.query(`${COUNTS_INSERT}($1, $2, $3)`, row);
      await this.client.query('ALTER TABLE products ENABLE TRIGGER product_counts_ai');
    }
    await this.client.query('COMMIT');
    // a settled database, as autovacuum leaves it: visibility map set (index-only scans), stats
    await this.client.query('VACUUM ANALYZE');
    await this.client.end();
  }
}

function productText(i, category) {
  const r = rng(i * 2654435761 + 17);
  const c = CATEGORIES[category];
  const kind = pick(r, c.kinds);
  const brand = pick(r, c.brands);
  const detail = pick(r, c.details);
  const name = `${kind} ${brand} ${detail}`.slice(0, 200);
  const n = 2 + Math.floor(r() * 3);
  const sentences = [`${kind} ${brand}: ${detail}.`];
  for (let k = 0; k < n; k++) sentences.push(pick(r, SENTENCES));
  return { name, description: sentences.join(' ') };
}

/**
 * Seeds `products` products over 50 sellers, `customers` customers (password PASSWORD), past
 * orders (delivered, shipped, confirmed, paid) taking stock through the ledger, and reviews of
 * delivered lines. Returns what the benchmark needs to drive it.
 */
async function seed(opts) {
  const t0 = Date.now();
  const N = opts.products;
  const C = opts.customers ?? 10_000;
  const target =
    opts.db === 'postgres' ? { db: 'postgres', url: opts.url } : { db: 'sqlite', path: opts.path };
  if (target.db === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(target.path + suffix, { force: true });
    fs.mkdirSync(path.dirname(target.path), { recursive: true });
  }
  await createSchema(target, opts.appRoot);
  const bcrypt = require(path.join(ROOT, 'node_modules/bcrypt'));
  const passwordHash = bcrypt.hashSync(PASSWORD, BCRYPT_ROUNDS); // once: every customer shares it
  const r = rng(20261128);
  const now = Date.now();

  // --- users
  const sellers = [];
  for (let i = 0; i < SELLERS; i++)
    sellers.push({ id: randomUUID(), email: `seller${i + 1}@bench.bibarys.kz` });
  const customers = [];
  for (let i = 0; i < C; i++)
    customers.push({
      id: randomUUID(),
      email: `customer${i + 1}@bench.bibarys.kz`,
      sid: randomUUID(), // the session its bench token names (see cases.js mintToken)
    });

  // --- product skeleton (text is regenerated from the index when written)
  const ids = new Array(N);
  const sellerOf = new Uint8Array(N);
  const catOf = new Uint8Array(N);
  const price = new Float64Array(N); // tiyn
  const q0 = new Int32Array(N);
  const left = new Int32Array(N);
  const active = new Uint8Array(N);
  const created = new Float64Array(N);
  const hot = [];
  const scarce = [];
  for (let i = 0; i < N; i++) {
    ids[i] = randomUUID();
    sellerOf[i] = Math.floor(r() * SELLERS);
    catOf[i] = Math.floor(r() * CATEGORY_NAMES.length);
    // log-uniform 300 .. 1.5M KZT, rounded to 10 KZT, a third with a .50/.90 tail
    const kzt = Math.round(Math.exp(Math.log(300) + r() * Math.log(5000)) / 10) * 10;
    const tail = r() < 0.33 ? pick(r, [50, 90]) : 0;
    price[i] = kzt * 100 + tail;
    active[i] = r() < 0.98 ? 1 : 0;
    created[i] = now - Math.floor(r() * 365 * DAY) - (N - i); // distinct instants
    if (i % 100 === 7 && active[i]) {
      q0[i] = 100_000; // warehouse stock: the checkout benchmark buys these
      hot.push(ids[i]);
    } else if (i % 1000 === 13 && active[i] && scarce.length < 10) {
      q0[i] = 5; // the last few units: concurrent checkouts fight for them
      scarce.push(ids[i]);
    } else {
      q0[i] = r() < 0.05 ? 0 : 1 + Math.floor(r() * 500);
    }
    left[i] = q0[i];
  }

  // --- past orders, decided before anything is written (product counters are known up front)
  const sold = new Int32Array(N);
  const ratingSum = new Int32Array(N);
  const reviewCount = new Int32Array(N);
  const orders = [];
  const reviews = [];
  const reviewed = new Set();
  const nOrders = opts.orders ?? Math.max(20, Math.floor(N / 10));
  for (let o = 0; o < nOrders; o++) {
    const userIdx = Math.floor(r() * C);
    const status = r() < 0.85 ? 'delivered' : r() < 0.66 ? 'shipped' : 'confirmed';
    const at = now - Math.floor(r() * 180 * DAY);
    const lines = [];
    const want = 1 + Math.floor(r() * 3);
    for (let tries = 0; lines.length < want && tries < 20; tries++) {
      const p = Math.floor(r() * N);
      if (!active[p] || q0[p] === 100_000 || q0[p] === 5 || lines.some((l) => l.p === p)) continue;
      const qty = 1 + Math.floor(r() * 2);
      if (left[p] < qty) continue;
      left[p] -= qty;
      sold[p] += qty;
      lines.push({ p, qty });
      if (status === 'delivered' && r() < 0.5 && !reviewed.has(p + ':' + userIdx)) {
        reviewed.add(p + ':' + userIdx);
        const rating = r() < 0.6 ? 5 : 1 + Math.floor(r() * 5);
        ratingSum[p] += rating;
        reviewCount[p] += 1;
        reviews.push({ p, userIdx, rating, at: at + 10 * DAY, comment: pick(r, REVIEW_COMMENTS) });
      }
    }
    if (lines.length)
      orders.push({
        id: randomUUID(),
        userIdx,
        status,
        at,
        lines,
        method: pick(r, ['standard', 'express', 'same_day']),
      });
  }

  const items = orders.reduce((a, o) => a + o.lines.length, 0);
  const total = SELLERS + C + N * 2 + orders.length * 4 + items * 2 + reviews.length; // re-counted below
  const bar = new Progress(
    `seed ${N.toLocaleString('en')} products`,
    total,
    opts.progress !== false,
  );

  const w = target.db === 'postgres' ? new PgWriter(target.url) : new SqliteWriter(target.path);
  if (w.open) await w.open();
  const userCols = [
    'id',
    'email',
    'password_hash',
    'first_name',
    'last_name',
    'phone',
    'role',
    'is_active',
    'is_verified',
    'token_version',
    'created_at',
    'updated_at',
  ];
  const userRow = (u, i, role) => {
    const at = w.ts(now - 400 * DAY + i * 1000);
    return [
      u.id,
      u.email,
      passwordHash,
      FIRST_NAMES[i % FIRST_NAMES.length],
      LAST_NAMES[(i * 7) % LAST_NAMES.length],
      `+7701${String(1000000 + i).slice(-7)}`,
      role,
      w.bool(true),
      w.bool(true),
      0,
      at,
      at,
    ];
  };
  for (let i = 0; i < SELLERS; i++) {
    await w.add('users', userCols, userRow(sellers[i], i, 'seller'));
    bar.tick();
  }
  for (let i = 0; i < C; i++) {
    await w.add('users', userCols, userRow(customers[i], SELLERS + i, 'customer'));
    bar.tick();
  }
  await w.flush();
  // one live session per customer, as a login makes it: the server accepts a token only with one
  // (an A/B base from before sessions has no such table, and its tokens need none: `--app`)
  const withSessions = await w.hasTable('sessions');
  const sessionCols = [
    'id',
    'user_id',
    'token_version',
    'created_at',
    'last_used_at',
    'expires_at',
  ];
  for (let i = 0; withSessions && i < C; i++) {
    const at = w.ts(now);
    await w.add('sessions', sessionCols, [
      customers[i].sid,
      customers[i].id,
      0,
      at,
      at,
      w.ts(now + 30 * DAY),
    ]);
  }
  await w.flush();

  const productCols = [
    'id',
    'seller_id',
    'name',
    'description',
    'price',
    'quantity',
    'category',
    'image_urls',
    'is_active',
    'rating',
    'rating_sum',
    'review_count',
    'sold_count',
    'name_search',
    'search_text',
    'created_at',
    'updated_at',
  ];
  const moveCols = ['id', 'product_id', 'delta', 'reason', 'order_id', 'actor_id', 'created_at'];
  for (let i = 0; i < N; i++) {
    const category = CATEGORY_NAMES[catOf[i]];
    if (active[i]) w.countActive(sellers[sellerOf[i]].id, category);
    const { name, description } = productText(i, category);
    const at = w.ts(created[i]);
    const images = JSON.stringify(
      [1, 2, 3].slice(0, 1 + (i % 3)).map((k) => `https://cdn.bibarys.kz/p/${ids[i]}/${k}.jpg`),
    );
    const rating = reviewCount[i] ? ratingSum[i] / reviewCount[i] : 0;
    await w.add('products', productCols, [
      ids[i],
      sellers[sellerOf[i]].id,
      name,
      description,
      price[i],
      left[i],
      category,
      images,
      w.bool(active[i]),
      rating,
      ratingSum[i],
      reviewCount[i],
      sold[i],
      name.toLowerCase(),
      `${name} ${description}`.toLowerCase(),
      at,
      at,
    ]);
    bar.tick();
  }
  await w.flush();
  for (let i = 0; i < N; i++) {
    if (q0[i])
      await w.add('stock_movements', moveCols, [
        randomUUID(),
        ids[i],
        q0[i],
        'initial',
        null,
        sellers[sellerOf[i]].id,
        w.ts(created[i]),
      ]);
    bar.tick();
  }
  await w.flush();

  const orderCols = [
    'id',
    'user_id',
    'status',
    'items_total',
    'delivery_method',
    'delivery_cost',
    'total_amount',
    'delivery_address',
    'phone',
    'comment',
    'tracking_number',
    'payment_status',
    'created_at',
    'updated_at',
  ];
  const itemCols = [
    'id',
    'order_id',
    'product_id',
    'product_name',
    'seller_id',
    'quantity',
    'price',
    'subtotal',
  ];
  const fulfilCols = [
    'id',
    'order_id',
    'seller_id',
    'status',
    'tracking_number',
    'delivery_cost',
    'items_total',
    'created_at',
    'updated_at',
  ];
  const histCols = ['id', 'order_id', 'status', 'seller_id', 'changed_by', 'note', 'at'];
  const payCols = [
    'id',
    'order_id',
    'user_id',
    'amount',
    'payment_method',
    'status',
    'transaction_id',
    'provider',
    'failure_reason',
    'created_at',
    'updated_at',
  ];
  const parcel = { standard: 150_000, express: 300_000, same_day: 500_000 };
  const children = [];
  let childRows = 0;
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k];
    const bySeller = new Map();
    for (const l of o.lines) {
      const s = sellers[sellerOf[l.p]].id;
      bySeller.set(s, (bySeller.get(s) ?? 0) + price[l.p] * l.qty);
    }
    const itemsTotal = [...bySeller.values()].reduce((a, b) => a + b, 0);
    const deliveryCost = parcel[o.method] * bySeller.size;
    const at = w.ts(o.at);
    const later = w.ts(o.at + 3 * DAY);
    const user = customers[o.userIdx];
    await w.add('orders', orderCols, [
      o.id,
      user.id,
      o.status,
      itemsTotal,
      o.method,
      deliveryCost,
      itemsTotal + deliveryCost,
      'г. Алматы, пр. Абая 10, кв. 5',
      '+77011234567',
      null,
      `BS-${String(k).padStart(12, '0')}`,
      'completed',
      at,
      later,
    ]);
    bar.tick();
    childRows += o.lines.length * 2 + bySeller.size * 2 + 1;
    children.push(() => {
      const rows = [];
      for (const l of o.lines) {
        const name = productText(l.p, CATEGORY_NAMES[catOf[l.p]]).name;
        rows.push([
          'order_items',
          itemCols,
          [
            randomUUID(),
            o.id,
            ids[l.p],
            name,
            sellers[sellerOf[l.p]].id,
            l.qty,
            price[l.p],
            price[l.p] * l.qty,
          ],
        ]);
        rows.push([
          'stock_movements',
          moveCols,
          [randomUUID(), ids[l.p], -l.qty, 'sale', o.id, user.id, at],
        ]);
      }
      for (const [sellerId, sub] of bySeller) {
        rows.push([
          'fulfillments',
          fulfilCols,
          [
            randomUUID(),
            o.id,
            sellerId,
            o.status,
            o.status === 'confirmed' ? null : `KZP${k}`,
            parcel[o.method],
            sub,
            at,
            later,
          ],
        ]);
        rows.push([
          'order_status_history',
          histCols,
          [randomUUID(), o.id, o.status, sellerId, sellerId, null, later],
        ]);
      }
      rows.push([
        'payments',
        payCols,
        [
          randomUUID(),
          o.id,
          user.id,
          itemsTotal + deliveryCost,
          'card',
          'completed',
          `bench-${o.id}`,
          'demo',
          null,
          at,
          at,
        ],
      ]);
      return rows;
    });
  }
  await w.flush();
  bar.total = SELLERS + C + N * 2 + orders.length + childRows + reviews.length;
  for (const make of children) {
    const rows = make();
    for (const [table, cols, row] of rows) await w.add(table, cols, row);
    bar.tick(rows.length);
  }
  await w.flush();

  const reviewCols = [
    'id',
    'product_id',
    'user_id',
    'author_name',
    'rating',
    'comment',
    'created_at',
    'updated_at',
  ];
  for (const rv of reviews) {
    const u = SELLERS + rv.userIdx;
    const at = w.ts(rv.at);
    await w.add('reviews', reviewCols, [
      randomUUID(),
      ids[rv.p],
      customers[rv.userIdx].id,
      `${FIRST_NAMES[u % FIRST_NAMES.length]} ${LAST_NAMES[(u * 7) % LAST_NAMES.length]}`,
      rv.rating,
      rv.comment,
      at,
      at,
    ]);
    bar.tick();
  }
  await w.close();
  bar.done();

  const activeIds = [];
  for (let i = 0; i < N && activeIds.length < 2000; i += Math.max(1, Math.floor(N / 2000)))
    if (active[i]) activeIds.push(ids[i]);
  const activeCount = active.reduce((a, b) => a + b, 0);
  return {
    products: N,
    activeProducts: activeCount,
    customers: customers.map((c) => ({ id: c.id, email: c.email, sid: c.sid })),
    sellers: sellers.map((s) => s.id),
    password: PASSWORD,
    sampleProductIds: activeIds,
    hotProductIds: hot,
    scarceProductIds: scarce,
    counts: {
      users: SELLERS + C,
      products: N,
      orders: orders.length,
      orderItems: items,
      reviews: reviews.length,
    },
    seconds: (Date.now() - t0) / 1000,
  };
}

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--'))
      o[a.slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
  }
  return o;
}

if (require.main === module) {
  const a = parseArgs(process.argv.slice(2));
  const opts = {
    db: a.db ?? 'sqlite',
    path: path.resolve(a.path ?? path.join(ROOT, 'data', 'bench.sqlite')),
    url: a.url,
    products: Number(a.products ?? 10_000),
    customers: a.customers ? Number(a.customers) : undefined,
  };
  if (opts.db === 'postgres' && !opts.url) {
    console.error('--db postgres needs --url postgres://...');
    process.exit(2);
  }
  seed(opts).then(
    (m) =>
      console.log(
        JSON.stringify({
          ...m.counts,
          seconds: m.seconds,
          path: opts.db === 'sqlite' ? opts.path : undefined,
        }),
      ),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

module.exports = { seed, PASSWORD };
