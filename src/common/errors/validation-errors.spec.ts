import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';

import { fieldCode, fieldErrors, fieldsRefused, validationFailed } from './validation-errors';

class Line {
  @IsInt() @Min(1) quantity: number;
}
class Body {
  @IsString() name: string;
  @ValidateNested({ each: true }) @Type(() => Line) items: Line[];
}

const check = (plain: object) =>
  validateSync(plainToInstance(Body, plain), { whitelist: true, forbidNonWhitelisted: true });

describe('validation errors', () => {
  it('names nested fields by dotted path, with a code and the message', () => {
    const errors = fieldErrors(check({ name: 'x', items: [{ quantity: 2 }, { quantity: 0 }] }));
    expect(errors).toEqual([
      { field: 'items.1.quantity', code: 'MIN', message: 'quantity must not be less than 1' },
    ]);
  });

  it('names an unknown field and a wrong type', () => {
    const errors = fieldErrors(check({ name: 5, items: [], role: 'admin' }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'name', code: 'IS_STRING', message: 'name must be a string' },
        { field: 'role', code: 'UNKNOWN_FIELD', message: 'property role should not exist' },
      ]),
    );
  });

  it('keeps the old message list beside the fields', () => {
    const e = validationFailed(check({ name: 5, items: [] }));
    expect(e.status).toBe(400);
    expect(e.details).toEqual({
      message: ['name must be a string'],
      errors: [{ field: 'name', code: 'IS_STRING', message: 'name must be a string' }],
    });
  });

  it('maps constraint names to codes', () => {
    expect(fieldCode('isNotEmpty')).toBe('IS_NOT_EMPTY');
    expect(fieldCode('INVALID_BIN_IIN')).toBe('INVALID_BIN_IIN');
    expect(fieldCode('whitelistValidation')).toBe('UNKNOWN_FIELD');
    expect(fieldCode('min')).toBe('MIN');
  });

  it('builds a domain error that names fields', () => {
    const e = fieldsRefused('SHOP_INCOMPLETE', [
      { field: 'iban', code: 'REQUIRED', message: 'iban is required' },
      { field: 'bik', code: 'REQUIRED', message: 'bik is required' },
    ]);
    expect(e.status).toBe(400);
    expect(e.message).toBe('iban is required; bik is required');
    expect(e.details?.errors).toHaveLength(2);
  });
});
