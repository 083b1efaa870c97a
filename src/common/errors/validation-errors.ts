import type { ValidationError } from 'class-validator';

import type { ErrorCode } from './domain-error';
import { DomainError } from './domain-error';

/** One refused input field: its dotted path (`items.0.quantity`), a code and the message. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/**
 * The field code of a class-validator constraint: our own codes (`INVALID_BIN_IIN`) as they are,
 * the library's camelCase names in upper snake case (`isNotEmpty` → `IS_NOT_EMPTY`), and an
 * unknown body field (`whitelistValidation`) as `UNKNOWN_FIELD`.
 */
export function fieldCode(constraint: string): string {
  if (constraint === 'whitelistValidation') return 'UNKNOWN_FIELD';
  if (/^[A-Z0-9_]+$/.test(constraint)) return constraint;
  return constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Every failed constraint of the tree, with the dotted path of its field. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: fieldCode(constraint),
      message,
    }));
    return own.concat(fieldErrors(e.children ?? [], field));
  });
}

/**
 * The 400 of the global ValidationPipe: `message` lists the messages (as before), `errors`
 * names each field.
 */
export function validationFailed(errors: ValidationError[]): DomainError {
  const list = fieldErrors(errors);
  return new DomainError('BAD_REQUEST', 'Validation failed', {
    message: list.map((e) => e.message),
    errors: list,
  });
}

/** A 400 (or other) domain error naming fields, for rules a service checks itself. */
export function fieldsRefused(code: ErrorCode, errors: FieldError[]): DomainError {
  return new DomainError(code, errors.map((e) => e.message).join('; '), { errors });
}
