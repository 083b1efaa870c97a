import { registerDecorator, ValidationArguments } from 'class-validator';

import type { LegalForm } from '../kz-identifiers';
import {
  isValidBik,
  isValidBinIinFor,
  isValidKbe,
  isValidKzIban,
  LEGAL_FORMS,
  normalizeKzPhone,
} from '../kz-identifiers';
import { MAX_SLUG, SLUG_PATTERN } from '../shop-slug';

/**
 * Field decorators over the pure checks of kz-identifiers.ts. The constraint name is the field
 * code of the 400 (`errors: [{field: 'bin_iin', code: 'INVALID_BIN_IIN', message}]`).
 */
function rule(
  code: string,
  test: (v: string, args: ValidationArguments) => boolean,
  message: string,
) {
  return (): PropertyDecorator => (target, property) =>
    registerDecorator({
      name: code,
      target: target.constructor,
      propertyName: String(property),
      options: { message },
      validator: {
        validate: (v: unknown, args) => typeof v === 'string' && test(v, args!),
      },
    });
}

const formOf = (args: ValidationArguments): LegalForm | undefined => {
  const form = (args.object as { legal_form?: unknown }).legal_form;
  return LEGAL_FORMS.includes(form as LegalForm) ? (form as LegalForm) : undefined;
};

export const IsBinIin = rule(
  'INVALID_BIN_IIN',
  (v, args) => isValidBinIinFor(v, formOf(args)),
  'bin_iin must be a valid BIN (for too) or IIN (for ip and individual): 12 digits with a correct check digit',
);
export const IsKzIban = rule(
  'INVALID_IBAN',
  isValidKzIban,
  'iban must be a Kazakhstan IBAN: KZ, 2 check digits and 16 letters or digits (mod 97)',
);
export const IsBik = rule('INVALID_BIK', isValidBik, 'bik must be 8 to 11 letters or digits');
export const IsKbe = rule(
  'INVALID_KBE',
  isValidKbe,
  'kbe must be 2 digits: 1 (resident) or 2 (non-resident), then the sector 1-9',
);
export const IsKzMobile = rule(
  'INVALID_PHONE',
  (v) => normalizeKzPhone(v) === v,
  'support_phone must be a Kazakhstan mobile number (+7 7XX XXX XX XX)',
);
export const IsSlug = rule(
  'INVALID_SLUG',
  (v) => v.length <= MAX_SLUG && SLUG_PATTERN.test(v),
  'slug must be lower-case latin letters, digits and single dashes (a-z0-9-)',
);
