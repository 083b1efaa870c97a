import { OpenAPIObject } from '@nestjs/swagger';
import fc from 'fast-check';

import { createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { Actor, login, makeUser } from '../factories/users';
import { fillPath, openApiOf, Operation, operationsOf, resolve } from './openapi';
import { arbitraryFor, schemaProblems, wrongTypeFor } from './schema-tools';

/**
 * Property-based fuzzing of every operation in the OpenAPI document (fast-check, seeded):
 * valid bodies, bodies with one field of the wrong type, an unknown field, a missing required
 * field; path ids that exist, that don't, and that are not UUIDs; each role. The properties:
 * never a 5xx; invalid input → 4xx; every status is one the document lists for the operation;
 * a 2xx body matches its documented schema.
 * FUZZ_RUNS (default 300) and FUZZ_SEED reproduce a run; `npm run fuzz` runs thousands.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const ROLES = ['anonymous', 'customer', 'seller', 'admin'] as const;
type Mutation = 'valid' | 'wrong-type' | 'unknown-field' | 'missing-required';

describe('OpenAPI-driven fuzzing', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let ops: Operation[];
  const actors: Record<string, Actor> = {};
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    doc = openApiOf(t);
    ops = operationsOf(doc).filter((o) => !o.path.startsWith('/health'));
    actors.customer = await makeUser(t.http, 'customer');
    actors.seller = await makeUser(t.http, 'seller');
    actors.admin = await makeUser(t.http, 'admin');
    for (let i = 0; i < 3; i++)
      ids.push((await insertProduct(t.ds, actors.seller.id, { quantity: 1000 })).id);
    ids.push(actors.customer.id);
  });
  afterAll(() => t.close());

  it('keeps every documented promise for generated requests', async () => {
    const failures: string[] = [];
    const requestArb = fc
      .record({
        opIndex: fc.nat({ max: ops.length - 1 }),
        role: fc.constantFrom(...ROLES),
        mutation: fc.constantFrom<Mutation>(
          'valid',
          'valid',
          'wrong-type',
          'unknown-field',
          'missing-required',
        ),
        idChoice: fc.constantFrom('existing', 'random', 'garbage'),
        pick: fc.nat(),
      })
      .chain((r) => {
        const o = ops[r.opIndex];
        const schema = o.op.requestBody?.content?.['application/json']?.schema;
        const query = (o.op.parameters ?? []).filter((p: any) => p.in === 'query');
        const queryArb = fc.record(
          Object.fromEntries(query.map((p: any) => [p.name, arbitraryFor(doc, p.schema)])),
          { requiredKeys: query.filter((p: any) => p.required).map((p: any) => p.name) },
        );
        return fc.record({
          r: fc.constant(r),
          body: schema ? arbitraryFor(doc, schema) : fc.constant(undefined),
          query: queryArb,
        });
      });

    await fc.assert(
      fc.asyncProperty(requestArb, async ({ r, body, query }) => {
        const o = ops[r.opIndex];
        const schema = resolve(doc, o.op.requestBody?.content?.['application/json']?.schema);
        let sent = body as Record<string, unknown> | undefined;
        let invalid = false;
        const props = Object.keys(schema?.properties ?? {});
        if (schema && sent && typeof sent === 'object') {
          sent = { ...sent };
          if (r.mutation === 'unknown-field') {
            sent.__proto_pollution_probe = { isAdmin: true };
            invalid = true;
          } else if (r.mutation === 'wrong-type' && props.length) {
            const k = props[r.pick % props.length];
            const wrong = wrongTypeFor(doc, schema.properties[k]);
            sent[k] = wrong[r.pick % wrong.length];
            invalid = true;
          } else if (r.mutation === 'missing-required' && schema.required?.length) {
            delete sent[schema.required[r.pick % schema.required.length]];
            invalid = true;
          }
        }
        const idFor = () =>
          r.idChoice === 'existing'
            ? ids[r.pick % ids.length]
            : r.idChoice === 'garbage'
              ? 'not-an-id'
              : undefined;
        const id = idFor();
        const url = fillPath(
          o.path,
          id ? { id, product_id: id, order_id: id, provider: 'kaspi' } : { provider: 'kaspi' },
        );
        let req = t.http[o.method](url).query(query as Record<string, string>);
        if (r.role !== 'anonymous') req = req.set(actors[r.role].auth);
        if (o.method === 'post' || o.method === 'put' || o.method === 'patch')
          req = req.send(sent ?? {});
        const res = await req;
        // logout-all ended the caller's session: sign in again, so the later cases stay signed in
        if (
          r.role !== 'anonymous' &&
          o.key === 'POST /api/v1/auth/logout-all' &&
          res.status < 300
        ) {
          const a = actors[r.role];
          actors[r.role] = await login(t.http, a.email, a.password);
        }
        const documented = Object.keys(o.op.responses ?? {}).map(Number);
        const where = `${o.key} as ${r.role} (${r.mutation}, id ${r.idChoice}) body=${JSON.stringify(sent)?.slice(0, 200)} query=${JSON.stringify(query)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        if (res.status >= 500) failures.push(`5xx: ${where}`);
        else if (invalid && res.status < 400) failures.push(`invalid input accepted: ${where}`);
        else if (
          !documented.includes(res.status) &&
          !(res.status === 429 && o.path.endsWith('/login'))
        ) {
          failures.push(`undocumented status: ${where}`);
        } else if (res.status < 300) {
          const content = o.op.responses?.[String(res.status)]?.content?.['application/json'];
          if (content?.schema) {
            const problems = schemaProblems(doc, content.schema, res.body);
            if (problems.length)
              failures.push(`schema mismatch ${problems.slice(0, 3).join('; ')}: ${where}`);
          }
        }
        return true;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect([...new Set(failures)].slice(0, 25)).toEqual([]);
  });
});
