import { ValidateBy, ValidationOptions } from 'class-validator';

import { hasAtMostTwoDecimals, MAX_PRICE_KZT } from '../../../common/money/money';

/**
 * A tenge amount: a finite number with at most 2 decimals, at most 100,000,000 KZT, and greater
 * than 0 (`positive`) or at least 0.
 */
export function IsMoney(o: { positive: boolean }, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoney',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'number' &&
          Number.isFinite(v) &&
          hasAtMostTwoDecimals(v) &&
          (o.positive ? v > 0 : v >= 0) &&
          v <= MAX_PRICE_KZT,
        defaultMessage: (args) =>
          `${args?.property} must be a KZT amount ${o.positive ? '> 0' : '≥ 0'} and ≤ ${MAX_PRICE_KZT} with at most 2 decimals`,
      },
    },
    options,
  );
}
