/**
 * Money is integer tiyn (1/100 KZT) everywhere inside; tenge with at most 2 decimals on the wire.
 * Integer arithmetic is exact; dividing an integer by 100 gives the double closest to the decimal,
 * which JSON prints without float artefacts.
 */
export const MAX_PRICE_KZT = 100_000_000;

export function toTiyn(kzt: number): number {
  const t = Math.round(kzt * 100);
  if (!Number.isFinite(kzt) || Math.abs(kzt * 100 - t) > 1e-6) {
    throw new RangeError(`not a tenge amount with at most 2 decimals: ${kzt}`);
  }
  return t;
}

export const toKzt = (tiyn: number): number => Number(tiyn) / 100;

/** True for numbers with at most two decimals. */
export function hasAtMostTwoDecimals(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;
}

/** Formats for humans (mail): 12 345,50 ₸ */
export function formatKzt(tiyn: number): string {
  const kzt = Math.trunc(tiyn / 100);
  const rest = Math.abs(tiyn % 100);
  const grouped = Math.abs(kzt)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${tiyn < 0 ? '-' : ''}${grouped}${rest ? ',' + String(rest).padStart(2, '0') : ''} ₸`;
}
