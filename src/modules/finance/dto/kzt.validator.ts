import { ValidateBy, ValidationOptions } from 'class-validator';

import { hasAtMostTwoDecimals, MAX_PRICE_KZT } from '../../../common/money/money';

/**
 * A tenge amount with at most 2 decimals and |amount| ≤ 100,000,000: `sign` says which are
 * allowed (`nonNegative`: ≥ 0, `nonZero`: any sign but 0 — adjustments).
 */
export function IsKzt(sign: 'nonNegative' | 'nonZero', options?: ValidationOptions) {
  const what = sign === 'nonZero' ? '≠ 0' : '≥ 0';
  return ValidateBy(
    {
      name: 'isKzt',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'number' &&
          hasAtMostTwoDecimals(v) &&
          Math.abs(v) <= MAX_PRICE_KZT &&
          (sign === 'nonZero' ? v !== 0 : v >= 0),
        defaultMessage: (a) =>
          `${a?.property} must be a KZT amount ${what}, |amount| ≤ ${MAX_PRICE_KZT}, at most 2 decimals`,
      },
    },
    options,
  );
}
