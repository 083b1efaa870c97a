import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PurchaseVerifier } from './purchase-verifier';

/** Interim: a read-only query until OrdersService.hasDeliveredPurchase is available. */
@Injectable()
export class SqlPurchaseVerifier extends PurchaseVerifier {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async hasDeliveredPurchase(userId: string, productId: string): Promise<boolean> {
    const [q, p] = this.ds.driver.escapeQueryWithParameters(
      `SELECT 1 AS ok FROM order_items oi
         JOIN orders o ON o.id = oi.order_id
         JOIN fulfillments f ON f.order_id = oi.order_id AND f.seller_id = oi.seller_id
        WHERE o.user_id = :u AND oi.product_id = :p AND f.status = 'delivered' LIMIT 1`,
      { u: userId, p: productId },
    );
    return (await this.ds.query(q, p)).length > 0;
  }
}
