import { requestHash } from './idempotency.service';

describe('requestHash', () => {
  it('ignores the order of object keys', () => {
    expect(requestHash('POST', '/api/v1/orders', { a: 1, b: { c: 2, d: [1, 2] } })).toBe(
      requestHash('post', '/api/v1/orders', { b: { d: [1, 2], c: 2 }, a: 1 }),
    );
  });

  it('differs by method, path, values and array order', () => {
    const base = requestHash('POST', '/api/v1/orders', { a: 1, l: [1, 2] });
    expect(requestHash('PUT', '/api/v1/orders', { a: 1, l: [1, 2] })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/payments', { a: 1, l: [1, 2] })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/orders', { a: 2, l: [1, 2] })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/orders', { a: 1, l: [2, 1] })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/orders', { a: '1', l: [1, 2] })).not.toBe(base);
  });
});
