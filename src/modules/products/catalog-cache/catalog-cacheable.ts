/** The metadata key of CatalogCached. */
export const CATALOG_CACHED = 'bibarys:catalog-cached';

/**
 * Which answers of a handler the catalog cache may keep: `all` of them (the listing: active
 * products only, the same for every caller), or only those the service marked with
 * `publicAnswer` (a product: an inactive one depends on who asks).
 */
export type CatalogCacheable = 'all' | 'public';

const publicAnswers = new WeakSet<object>();

/** The service's word that this answer is the same for every caller (see CatalogCacheable). */
export function publicAnswer<T extends object>(answer: T): T {
  publicAnswers.add(answer);
  return answer;
}

/** Whether the handler's answer may be kept. */
export const mayKeep = (cacheable: CatalogCacheable | undefined, answer: unknown): boolean =>
  cacheable === 'all' ||
  (cacheable === 'public' &&
    typeof answer === 'object' &&
    answer !== null &&
    publicAnswers.has(answer));
