import { OpenAPIObject } from '@nestjs/swagger';

import { buildOpenApi } from '../../src/setup-app';
import { TestApp } from '../create-test-app';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  path: string;
  key: string;
  op: Record<string, any>;
}

export function openApiOf(t: TestApp): OpenAPIObject {
  return buildOpenApi(t.app);
}

export function operationsOf(doc: OpenAPIObject): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch'] as const) {
      const op = (item as Record<string, any>)[method];
      if (op) out.push({ method, path, key: `${method.toUpperCase()} ${path}`, op });
    }
  }
  return out;
}

/** Resolves a `$ref` (and a one-level allOf) to a plain schema object. */
export function resolve(doc: OpenAPIObject, schema: any): any {
  if (!schema) return schema;
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    return resolve(doc, (doc.components?.schemas as Record<string, unknown>)[name]);
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((s: unknown) => resolve(doc, s));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p: any) => p.properties ?? {})),
      required: parts.flatMap((p: any) => p.required ?? []),
    };
  }
  return schema;
}

/** The path with every `{param}` replaced (default: a random, well-formed UUID). */
export function fillPath(path: string, values: Record<string, string> = {}): string {
  return path.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => values[name] ?? '5d7a1c4e-2b1f-4c6a-9e7d-3f2a1b0c9d8e',
  );
}
