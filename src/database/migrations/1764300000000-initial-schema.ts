import { MigrationInterface, QueryRunner } from 'typeorm';

/** The whole v1 schema, written once for SQLite and PostgreSQL. Money is integer tiyn. */
export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const uuid = pg ? 'uuid' : 'varchar(36)';
    const pk = pg ? 'uuid PRIMARY KEY DEFAULT gen_random_uuid()' : 'varchar(36) PRIMARY KEY';
    const ts = pg ? 'timestamptz' : 'datetime';
    const now = pg ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f','now'))";
    const bool = 'boolean';
    const real = pg ? 'real' : 'real';
    const statements = [
      `CREATE TABLE users (
        id ${pk}, email varchar(254) NOT NULL, password_hash varchar(100) NOT NULL,
        first_name varchar(100) NOT NULL, last_name varchar(100) NOT NULL, phone varchar(32),
        role varchar(16) NOT NULL CHECK (role IN ('customer','seller','admin')),
        is_active ${bool} NOT NULL DEFAULT true, is_verified ${bool} NOT NULL DEFAULT false,
        token_version integer NOT NULL DEFAULT 0,
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_users_email ON users (email)`,
      `CREATE INDEX ix_users_role ON users (role)`,
      `CREATE INDEX ix_users_created ON users (created_at)`,

      `CREATE TABLE products (
        id ${pk}, seller_id ${uuid} NOT NULL REFERENCES users(id), name varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '', price bigint NOT NULL CHECK (price > 0),
        quantity integer NOT NULL CHECK (quantity >= 0),
        category varchar(20) NOT NULL CHECK (category IN ('electronics','clothing','food','books','toys','sports','home','beauty','other')),
        image_urls text NOT NULL, is_active ${bool} NOT NULL DEFAULT true,
        rating ${real} NOT NULL DEFAULT 0, rating_sum integer NOT NULL DEFAULT 0,
        review_count integer NOT NULL DEFAULT 0, sold_count integer NOT NULL DEFAULT 0,
        name_search varchar(200) NOT NULL, search_text text NOT NULL,
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE INDEX ix_products_active_created ON products (is_active, created_at, id)`,
      `CREATE INDEX ix_products_active_price ON products (is_active, price, id)`,
      `CREATE INDEX ix_products_active_category_price ON products (is_active, category, price, id)`,
      `CREATE INDEX ix_products_active_rating ON products (is_active, rating, id)`,
      `CREATE INDEX ix_products_active_sold ON products (is_active, sold_count, id)`,
      `CREATE INDEX ix_products_seller ON products (seller_id, created_at)`,
      `CREATE INDEX ix_products_quantity ON products (quantity)`,

      `CREATE TABLE stock_movements (
        id ${pk}, product_id ${uuid} NOT NULL REFERENCES products(id), delta integer NOT NULL,
        reason varchar(20) NOT NULL, order_id ${uuid}, actor_id ${uuid},
        created_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE INDEX ix_stock_movements_product ON stock_movements (product_id, created_at)`,

      `CREATE TABLE wishlist_items (
        id ${pk}, user_id ${uuid} NOT NULL REFERENCES users(id), product_id ${uuid} NOT NULL REFERENCES products(id),
        added_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_wishlist_user_product ON wishlist_items (user_id, product_id)`,
      `CREATE INDEX ix_wishlist_product ON wishlist_items (product_id)`,

      `CREATE TABLE cart_items (
        id ${pk}, user_id ${uuid} NOT NULL REFERENCES users(id), product_id ${uuid} NOT NULL REFERENCES products(id),
        quantity integer NOT NULL CHECK (quantity > 0),
        added_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_cart_user_product ON cart_items (user_id, product_id)`,
      `CREATE INDEX ix_cart_product ON cart_items (product_id)`,

      `CREATE TABLE orders (
        id ${pk}, user_id ${uuid} NOT NULL REFERENCES users(id), status varchar(16) NOT NULL,
        items_total bigint NOT NULL, delivery_method varchar(16) NOT NULL, delivery_cost bigint NOT NULL,
        total_amount bigint NOT NULL, delivery_address text NOT NULL, phone varchar(32) NOT NULL,
        comment text, tracking_number varchar(32) NOT NULL, payment_status varchar(16),
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_orders_tracking ON orders (tracking_number)`,
      `CREATE INDEX ix_orders_user_created ON orders (user_id, created_at)`,
      `CREATE INDEX ix_orders_status_created ON orders (status, created_at)`,
      `CREATE INDEX ix_orders_created ON orders (created_at)`,

      `CREATE TABLE order_items (
        id ${pk}, order_id ${uuid} NOT NULL REFERENCES orders(id), product_id ${uuid} NOT NULL REFERENCES products(id),
        product_name varchar(200) NOT NULL, seller_id ${uuid} NOT NULL, quantity integer NOT NULL CHECK (quantity > 0),
        price bigint NOT NULL, subtotal bigint NOT NULL)`,
      `CREATE INDEX ix_order_items_order ON order_items (order_id)`,
      `CREATE INDEX ix_order_items_product ON order_items (product_id)`,
      `CREATE INDEX ix_order_items_seller ON order_items (seller_id)`,

      `CREATE TABLE fulfillments (
        id ${pk}, order_id ${uuid} NOT NULL REFERENCES orders(id), seller_id ${uuid} NOT NULL,
        status varchar(16) NOT NULL, tracking_number varchar(64), delivery_cost bigint NOT NULL,
        items_total bigint NOT NULL,
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_fulfillments_order_seller ON fulfillments (order_id, seller_id)`,
      `CREATE INDEX ix_fulfillments_seller_created ON fulfillments (seller_id, created_at)`,
      `CREATE INDEX ix_fulfillments_status_created ON fulfillments (status, created_at)`,

      `CREATE TABLE order_status_history (
        id ${pk}, order_id ${uuid} NOT NULL REFERENCES orders(id), status varchar(16) NOT NULL,
        seller_id ${uuid}, changed_by ${uuid}, note varchar(200), at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE INDEX ix_status_history_order ON order_status_history (order_id, at)`,

      `CREATE TABLE payments (
        id ${pk}, order_id ${uuid} NOT NULL REFERENCES orders(id), user_id ${uuid} NOT NULL,
        amount bigint NOT NULL, payment_method varchar(20) NOT NULL, status varchar(16) NOT NULL,
        transaction_id varchar(64) NOT NULL, provider varchar(32) NOT NULL, failure_reason varchar(200),
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_payments_transaction ON payments (transaction_id)`,
      `CREATE INDEX ix_payments_order ON payments (order_id, created_at)`,
      `CREATE UNIQUE INDEX uq_payments_one_live_per_order ON payments (order_id) WHERE status IN ('pending','processing','completed')`,

      `CREATE TABLE reviews (
        id ${pk}, product_id ${uuid} NOT NULL REFERENCES products(id), user_id ${uuid} NOT NULL REFERENCES users(id),
        author_name varchar(201) NOT NULL, rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5), comment text,
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_reviews_product_user ON reviews (product_id, user_id)`,
      `CREATE INDEX ix_reviews_product_created ON reviews (product_id, created_at)`,

      `CREATE TABLE idempotency_keys (
        user_id ${uuid} NOT NULL, key varchar(300) NOT NULL, operation varchar(100) NOT NULL,
        request_hash varchar(64) NOT NULL, state varchar(16) NOT NULL, response_status integer,
        response_body text, locked_at ${ts} NOT NULL, created_at ${ts} NOT NULL DEFAULT ${now},
        PRIMARY KEY (user_id, key))`,
      `CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at)`,

      `CREATE TABLE mail_outbox (
        id ${pk}, to_address varchar(254) NOT NULL, subject varchar(300) NOT NULL, text_body text NOT NULL,
        html_body text NOT NULL, kind varchar(40) NOT NULL, status varchar(16) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0, next_attempt_at ${ts} NOT NULL, locked_until ${ts},
        locked_by varchar(64), last_error text, sent_at ${ts}, created_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE INDEX ix_mail_outbox_due ON mail_outbox (status, next_attempt_at)`,
    ];
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'mail_outbox',
      'idempotency_keys',
      'reviews',
      'payments',
      'order_status_history',
      'fulfillments',
      'order_items',
      'orders',
      'cart_items',
      'wishlist_items',
      'stock_movements',
      'products',
      'users',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
