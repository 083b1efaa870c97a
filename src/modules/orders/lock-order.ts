/**
 * Rows are locked in one global order (product id ascending) by every transaction that takes
 * or returns stock, so two of them holding the same products never wait on each other in a cycle
 * (a PostgreSQL deadlock).
 */
export const byProductId = <T extends { productId: string }>(a: T, b: T): number =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
