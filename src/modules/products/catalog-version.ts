import { Injectable } from '@nestjs/common';

/**
 * A counter every catalog write bumps (product create/update/delete, every stock movement), so
 * caches of listing totals keyed by it are dropped by this process at once. Other processes
 * sharing the database see the change when their short cache TTL runs out.
 */
@Injectable()
export class CatalogVersion {
  private n = 0;
  get value(): number {
    return this.n;
  }
  bump(): void {
    this.n++;
  }
}
