import { OpenAPIObject } from '@nestjs/swagger';
import fc from 'fast-check';

import { resolve } from './openapi';

/** fast-check arbitraries for (mostly) valid values of an OpenAPI schema. */
export function arbitraryFor(doc: OpenAPIObject, raw: any, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, raw) ?? {};
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.oneOf) return fc.oneof(...s.oneOf.map((x: unknown) => arbitraryFor(doc, x, depth + 1)));
  const nullable = (a: fc.Arbitrary<unknown>) => (s.nullable ? fc.option(a, { nil: null }) : a);
  switch (s.type) {
    case 'string': {
      if (s.format === 'uuid') return nullable(fc.uuid());
      if (s.format === 'email')
        return nullable(fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 254)));
      if (s.format === 'date-time')
        return nullable(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
      if (s.format === 'date')
        return nullable(
          fc
            .date({ min: new Date('2024-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString().slice(0, 10)),
        );
      if (s.format === 'uri' || s.format === 'url')
        return nullable(fc.webUrl({ validSchemes: ['https'] }));
      const min = s.minLength ?? 0;
      const max = Math.min(s.maxLength ?? 40, min + 40);
      return nullable(fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }));
    }
    case 'integer':
      return nullable(
        fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 1000, 1_000_000) }),
      );
    case 'number':
      return nullable(
        fc
          .integer({
            min: Math.ceil((s.exclusiveMinimum ?? s.minimum ?? 0) * 100) + 1,
            max: Math.min((s.maximum ?? 100000) * 100, 10_000_000),
          })
          .map((n) => n / 100),
      );
    case 'boolean':
      return nullable(fc.boolean());
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(arbitraryFor(doc, s.items, depth + 1), {
            maxLength: Math.min(s.maxItems ?? 3, 3),
          });
    case 'object':
    default: {
      if (!s.properties || depth > 3) return fc.constant({});
      const required = new Set<string>(s.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(s.properties)) shape[k] = arbitraryFor(doc, v, depth + 1);
      return fc.record(shape, { requiredKeys: [...required] });
    }
  }
}

/** A value of the wrong JSON type for a schema. */
export function wrongTypeFor(doc: OpenAPIObject, raw: any): unknown[] {
  const s = resolve(doc, raw) ?? {};
  const all: unknown[] = ['text', 12345, true, { nested: 1 }, ['a']];
  const t = s.enum ? 'enum' : s.type;
  return all.filter((v) => {
    if (t === 'enum') return !s.enum.includes(v);
    if (t === 'string') return typeof v !== 'string';
    if (t === 'integer' || t === 'number') return typeof v !== 'number';
    if (t === 'boolean') return typeof v !== 'boolean';
    if (t === 'array') return !Array.isArray(v);
    return typeof v !== 'object' || Array.isArray(v);
  });
}

/** Checks a value against a response schema; returns the problems found (empty when it fits). */
export function schemaProblems(doc: OpenAPIObject, raw: any, value: unknown, at = '$'): string[] {
  const s = resolve(doc, raw);
  if (!s || Object.keys(s).length === 0) return [];
  if (value === null)
    return s.nullable || s.type === undefined ? [] : [`${at}: null but not nullable`];
  if (s.oneOf) {
    return s.oneOf.some((x: unknown) => schemaProblems(doc, x, value, at).length === 0)
      ? []
      : [`${at}: matches no oneOf`];
  }
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  switch (s.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: expected string, got ${typeof value}`];
    case 'integer':
      return Number.isInteger(value)
        ? []
        : [`${at}: expected integer, got ${JSON.stringify(value)}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: expected number, got ${typeof value}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected array`];
      return value.flatMap((v, i) => schemaProblems(doc, s.items, v, `${at}[${i}]`));
    default: {
      if (!s.properties) return [];
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected object`];
      const obj = value as Record<string, unknown>;
      const problems = (s.required ?? [])
        .filter((k: string) => !(k in obj))
        .map((k: string) => `${at}.${k}: missing`);
      for (const [k, v] of Object.entries(s.properties)) {
        if (k in obj) problems.push(...schemaProblems(doc, v, obj[k], `${at}.${k}`));
      }
      return problems;
    }
  }
}
