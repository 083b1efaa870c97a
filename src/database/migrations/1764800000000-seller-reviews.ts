import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seller reviews (CONTRACT Part 2, Shops): a review names a product or a seller, never both;
 * one review per buyer and seller. SQLite cannot drop a NOT NULL, so there the table is rebuilt
 * (nothing references it) with the same indexes.
 */
export class SellerReviews1764800000000 implements MigrationInterface {
  name = 'SellerReviews1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const one = `CHECK ((product_id IS NULL) <> (seller_id IS NULL))`;
    if (pg) {
      await q.query(`ALTER TABLE reviews ALTER COLUMN product_id DROP NOT NULL`);
      await q.query(`ALTER TABLE reviews ADD COLUMN seller_id uuid REFERENCES users(id)`);
      await q.query(`ALTER TABLE reviews ADD CONSTRAINT ck_reviews_product_or_seller ${one}`);
    } else {
      const now = "(strftime('%Y-%m-%d %H:%M:%f','now'))";
      await q.query(`CREATE TABLE reviews_new (
        id varchar(36) PRIMARY KEY, product_id varchar(36) REFERENCES products(id),
        seller_id varchar(36) REFERENCES users(id), user_id varchar(36) NOT NULL REFERENCES users(id),
        author_name varchar(201) NOT NULL, rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5), comment text,
        created_at datetime NOT NULL DEFAULT ${now}, updated_at datetime NOT NULL DEFAULT ${now}, ${one})`);
      await q.query(
        `INSERT INTO reviews_new (id, product_id, user_id, author_name, rating, comment, created_at, updated_at)
         SELECT id, product_id, user_id, author_name, rating, comment, created_at, updated_at FROM reviews`,
      );
      await q.query(`DROP TABLE reviews`);
      await q.query(`ALTER TABLE reviews_new RENAME TO reviews`);
      await q.query(`CREATE UNIQUE INDEX uq_reviews_product_user ON reviews (product_id, user_id)`);
      await q.query(`CREATE INDEX ix_reviews_product_created ON reviews (product_id, created_at)`);
    }
    // one per buyer and seller (NULL seller ids, the product reviews, never collide)
    await q.query(`CREATE UNIQUE INDEX uq_reviews_seller_user ON reviews (seller_id, user_id)`);
    // GET /reviews?seller_id=: newest first
    await q.query(`CREATE INDEX ix_reviews_seller_created ON reviews (seller_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM reviews WHERE seller_id IS NOT NULL`);
    await q.query(`DROP INDEX ix_reviews_seller_created`);
    await q.query(`DROP INDEX uq_reviews_seller_user`);
    if (q.connection.options.type === 'postgres') {
      await q.query(`ALTER TABLE reviews DROP CONSTRAINT ck_reviews_product_or_seller`);
      await q.query(`ALTER TABLE reviews DROP COLUMN seller_id`);
      await q.query(`ALTER TABLE reviews ALTER COLUMN product_id SET NOT NULL`);
    }
    // SQLite keeps the nullable columns (a rebuild back would lose nothing but is not needed)
  }
}
