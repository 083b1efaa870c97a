import { DomainError } from '../../common/errors/domain-error';

/** One product the cart or checkout cannot supply as asked (the 409's `products[]` entry). */
export interface StockProblem {
  product_id: string;
  name: string | null;
  requested: number;
  available: number;
  is_active: boolean;
}

/**
 * The one builder of "not available in the requested quantity" for cart and checkout:
 * `PRODUCT_UNAVAILABLE` when any product is inactive (or hidden), else `OUT_OF_STOCK`, naming them.
 */
export function stockConflict(problems: StockProblem[]): DomainError {
  const names = problems.map((p) => p.name ?? p.product_id).join(', ');
  return new DomainError(
    problems.some((p) => !p.is_active) ? 'PRODUCT_UNAVAILABLE' : 'OUT_OF_STOCK',
    `Not available in the requested quantity: ${names}`,
    { products: problems },
  );
}
