import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { Page, pageOf, PageQuery, skipOf } from '../../common/pagination/pagination';
import { Product } from '../products/product.entity';
import { ProductResponse, toProductResponse } from '../products/dto/product.dto';

/**
 * Read-only product lists for the seller and admin panels (inactive products included), which
 * the public catalog does not offer. Writes stay with the catalog.
 */
@Injectable()
export class ProductListing {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Newest first; one seller's products when `sellerId` is given, else every product. */
  async page(q: PageQuery, sellerId?: string): Promise<Page<ProductResponse>> {
    const [rows, total] = await this.ds.getRepository(Product).findAndCount({
      where: sellerId ? { sellerId } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: skipOf(q),
      take: q.page_size ?? 20,
    });
    return pageOf(rows.map(toProductResponse), total, q);
  }

  /** A seller's active products with at most `threshold` units left, scarcest first. */
  async lowStock(sellerId: string, threshold: number, limit = 100): Promise<ProductResponse[]> {
    const rows = await this.ds.getRepository(Product).find({
      where: { sellerId, isActive: true, quantity: LessThanOrEqual(threshold) },
      order: { quantity: 'ASC', name: 'ASC', id: 'ASC' },
      take: limit,
    });
    return rows.map(toProductResponse);
  }
}
