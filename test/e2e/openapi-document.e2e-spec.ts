import { ERROR_STATUS } from '../../src/common/errors/domain-error';
import { RESPONSE_HEADERS } from '../../src/openapi/document';
import { OPERATION_IDS, operationIdProblem } from '../../src/openapi/operation-ids';
import { createTestApp, TestApp } from '../create-test-app';
import { openApiOf, operationsOf } from '../security/openapi';

/**
 * What a client generator reads from the document: one verbNoun operation id per operation,
 * every response header, and the error body with its code enum and an example per code.
 */
describe('OpenAPI document for client developers (e2e)', () => {
  let t: TestApp;
  let doc: any;
  let ops: ReturnType<typeof operationsOf>;

  beforeAll(async () => {
    t = await createTestApp();
    doc = openApiOf(t);
    ops = operationsOf(doc);
  });
  afterAll(() => t.close());

  it('every operation has a verbNoun id from OPERATION_IDS (or @ApiOperation), none twice', () => {
    const problems = ops
      .map((o) => [o.key, operationIdProblem(o.op.operationId)] as const)
      .filter(([, problem]) => problem)
      .map(([key, problem]) => `${key}: ${problem} — add it to src/openapi/operation-ids.ts`);
    expect(problems).toEqual([]);
    const seen = new Map<string, string>();
    const twice = ops.flatMap((o) => {
      const other = seen.get(o.op.operationId);
      seen.set(o.op.operationId, o.key);
      return other ? [`${o.op.operationId}: ${other} and ${o.key}`] : [];
    });
    expect(twice).toEqual([]);
  });

  it('OPERATION_IDS names no route that is gone, and no id twice', () => {
    const used = new Set(ops.map((o) => o.op.operationId));
    expect(Object.values(OPERATION_IDS).filter((id) => !used.has(id))).toEqual([]);
    const ids = Object.values(OPERATION_IDS);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('every response documents X-Request-Id and Cache-Control, 429/503 Retry-After', () => {
    expect(Object.keys(doc.components.headers).sort()).toEqual(
      Object.keys(RESPONSE_HEADERS).sort(),
    );
    const missing: string[] = [];
    for (const o of ops) {
      for (const [status, res] of Object.entries<any>(o.op.responses)) {
        const want = ['X-Request-Id', 'Cache-Control'];
        if (status === '429' || status === '503') want.push('Retry-After');
        if (status === '429') want.push('RateLimit-Policy', 'RateLimit');
        for (const h of want) if (!res.headers?.[h]) missing.push(`${o.key} ${status} ${h}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('Idempotent-Replayed on idempotent POSTs, ETag and Vary on the cacheable catalog reads', () => {
    const post = doc.paths['/api/v1/orders'].post.responses['201'];
    expect(post.headers['Idempotent-Replayed']).toBeDefined();
    expect(
      doc.paths['/api/v1/payments'].post.responses['201'].headers['Idempotent-Replayed'],
    ).toBeDefined();
    for (const path of ['/api/v1/products', '/api/v1/products/{id}']) {
      const get = doc.paths[path].get;
      expect(get.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'If-None-Match', in: 'header' })]),
      );
      for (const s of ['200', '304']) {
        expect(Object.keys(get.responses[s].headers)).toEqual(
          expect.arrayContaining(['ETag', 'Cache-Control', 'Vary']),
        );
      }
    }
    // nothing personal is offered as cacheable
    const cacheable = ops.filter((o) => o.op.responses['304']).map((o) => o.key);
    expect(cacheable.sort()).toEqual(['GET /api/v1/products', 'GET /api/v1/products/{id}']);
  });

  it('the error code is a required enum of every domain code, with an example per code', () => {
    const schema = doc.components.schemas.ErrorResponse;
    expect(schema.required).toEqual(
      expect.arrayContaining(['statusCode', 'error', 'message', 'code']),
    );
    // a named enum (ErrorCode), so generated clients get a union type of the codes
    expect(schema.properties.code.allOf).toEqual([{ $ref: '#/components/schemas/ErrorCode' }]);
    const codeSchema = doc.components.schemas.ErrorCode;
    expect([...codeSchema.enum].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
    const field = doc.components.schemas.FieldErrorResponse;
    expect(Object.keys(field.properties).sort()).toEqual(['code', 'field', 'message']);

    const orders409 = doc.paths['/api/v1/orders'].post.responses['409'].content['application/json'];
    expect(Object.keys(orders409.examples)).toEqual(
      expect.arrayContaining(['OUT_OF_STOCK', 'PRODUCT_UNAVAILABLE', 'IDEMPOTENCY_IN_PROGRESS']),
    );
    for (const o of ops) {
      for (const [status, res] of Object.entries<any>(o.op.responses)) {
        const examples = res.content?.['application/json']?.examples ?? {};
        for (const [code, ex] of Object.entries<any>(examples)) {
          const value = doc.components.examples[ex.$ref.split('/').pop()].value;
          expect([o.key, status, value.code, value.statusCode]).toEqual([
            o.key,
            status,
            code,
            Number(status),
          ]);
        }
      }
    }
    const bad = doc.components.examples.BAD_REQUEST.value;
    expect(bad.errors[0]).toEqual({
      field: 'items.0.quantity',
      code: 'MIN',
      message: 'quantity must not be less than 1',
    });
  });

  it('the answers carry what the document promises: code on every error, fields on a 400', async () => {
    const unknownRoute = await t.http.get('/api/v1/nowhere').expect(404);
    expect(unknownRoute.body.code).toBe('NOT_FOUND');
    expect((await t.http.get('/api/v1/cart').expect(401)).body.code).toBe('UNAUTHENTICATED');
    const malformed = await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email":');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'BAD_REQUEST']);
    const invalid = await t.http
      .post('/api/v1/auth/register')
      .send({
        email: 'not-an-email',
        password: 'x',
        first_name: 'A',
        last_name: 'B',
        role: 'admin',
      })
      .expect(400);
    expect(invalid.body.code).toBe('BAD_REQUEST');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      expect.arrayContaining(['email', 'password', 'role']),
    );
    expect(Object.keys(ERROR_STATUS)).toContain(invalid.body.code);
  });
});
