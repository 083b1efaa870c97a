import { Injectable } from '@nestjs/common';

import { ProductAnalyticsRepository } from './product-analytics.repository';
import type { ProductCategory } from './product-shape';

/** How a report names a product. */
export interface ProductLabel {
  name: string;
  category: ProductCategory;
}

/** What the products module tells the read models (analytics, admin) about the catalog. */
@Injectable()
export class ProductAnalytics {
  constructor(private readonly repo: ProductAnalyticsRepository) {}

  /** Products in all and active ones. */
  counts(): Promise<{ total: number; active: number }> {
    return this.repo.counts();
  }

  /** Name and category of each given product that exists (inactive ones included), by id. */
  async labels(ids: string[]): Promise<Map<string, ProductLabel>> {
    if (!ids.length) return new Map();
    const rows = await this.repo.labels([...new Set(ids)]);
    return new Map(rows.map((p) => [p.id, { name: p.name, category: p.category }]));
  }
}
