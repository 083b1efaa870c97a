import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';

import { ReportSql } from '../../database/report-window';
import { Product } from './product.entity';

/** Ids per statement when describing products (well under either database's parameter limit). */
const CHUNK = 500;

/** The products module's reporting reads over `products`, for the read models. */
@Injectable()
export class ProductAnalyticsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Products in all and active ones, in one statement. */
  async counts(): Promise<{ total: number; active: number }> {
    const [row] = await new ReportSql(this.ds).rows<{ n: unknown; active: unknown }>(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN is_active THEN 1 ELSE 0 END) AS active FROM products`,
    );
    return { total: Number(row.n), active: Number(row.active ?? 0) };
  }

  /** Name and category of the given products (inactive ones included), a few statements at most. */
  async labels(ids: string[]): Promise<Pick<Product, 'id' | 'name' | 'category'>[]> {
    const out: Pick<Product, 'id' | 'name' | 'category'>[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      out.push(
        ...(await this.ds.getRepository(Product).find({
          select: { id: true, name: true, category: true },
          where: { id: In(ids.slice(i, i + CHUNK)) },
        })),
      );
    }
    return out;
  }
}
