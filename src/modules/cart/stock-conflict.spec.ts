import { stockConflict } from './stock-conflict';

const p = (over: Partial<Parameters<typeof stockConflict>[0][0]> = {}) => ({
  product_id: 'p1',
  name: 'Чай',
  requested: 3,
  available: 1,
  is_active: true,
  ...over,
});

describe('stockConflict', () => {
  it('is OUT_OF_STOCK naming the products when all are active', () => {
    const e = stockConflict([p(), p({ product_id: 'p2', name: 'Кофе' })]);
    expect(e.code).toBe('OUT_OF_STOCK');
    expect(e.message).toContain('Чай, Кофе');
    expect(e.details).toEqual({ products: [p(), p({ product_id: 'p2', name: 'Кофе' })] });
  });

  it('is PRODUCT_UNAVAILABLE when any product is inactive', () => {
    expect(stockConflict([p(), p({ is_active: false, available: 0 })]).code).toBe(
      'PRODUCT_UNAVAILABLE',
    );
  });

  it('names a product without a name by its id', () => {
    expect(stockConflict([p({ name: null })]).message).toContain('p1');
  });
});
