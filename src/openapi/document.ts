import { STATUS_CODES } from 'node:http';

import type { OpenAPIObject } from '@nestjs/swagger';

import { ERROR_STATUS, ErrorCode } from '../common/errors/domain-error';
import { PERSONAL_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from '../common/http/cache-control';

/**
 * What every client needs that the route decorators do not say, added once to the generated
 * document: the response headers (`X-Request-Id` everywhere, `Retry-After` on 429/503,
 * `Idempotent-Replayed` where an `Idempotency-Key` is taken, `ETag`/`Cache-Control`/`Vary` on
 * the cacheable catalog reads, `RateLimit-Policy`/`RateLimit` where a 429 is documented) and an
 * example body per error code, under the status that code is answered with.
 */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description:
      'The id of this request (the client’s own `X-Request-Id` when it is 1–64 of `A-Za-z0-9._-`); ' +
      'quote it when reporting a problem',
    schema: { type: 'string', example: '3f2a1b0c-9d8e-4c6a-9e7d-5d7a1c4e2b1f' },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 0, example: 1 },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same key',
    schema: { type: 'string', enum: ['true'] },
  },
  ETag: {
    description: 'Strong validator of this body; send it back in `If-None-Match` to get a 304',
    schema: { type: 'string', example: '"Yp2X9jzR8e0k3q1mQf4tBw"' },
  },
  'Cache-Control': {
    description:
      `\`${PUBLIC_CACHE_CONTROL}\` on public catalog reads (revalidate with the ETag), ` +
      `\`${PERSONAL_CACHE_CONTROL}\` on everything else`,
    schema: { type: 'string', example: PERSONAL_CACHE_CONTROL },
  },
  Vary: {
    description: '`Authorization` (and `Origin` under CORS): a shared cache keys by them',
    schema: { type: 'string', example: 'Origin, Authorization' },
  },
  'RateLimit-Policy': {
    description: 'The limit of this route (IETF RateLimit header fields draft), e.g. `10;w=3600`',
    schema: { type: 'string', example: '10;w=3600' },
  },
  RateLimit: {
    description:
      'What is left of the limit and when it resets, e.g. `limit=10, remaining=9, reset=3599`',
    schema: { type: 'string', example: 'limit=10, remaining=9, reset=3599' },
  },
} as const;

type HeaderName = keyof typeof RESPONSE_HEADERS;
const headerRef = (name: HeaderName) => ({ $ref: `#/components/headers/${name}` });

/** Example messages of the codes whose humanised name says too little. */
const EXAMPLE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'Validation failed',
  UNAUTHENTICATED: 'Missing or invalid token',
  NOT_FOUND: 'Product not found',
  OUT_OF_STOCK: 'Not enough stock',
  TOO_MANY_REQUESTS: 'Too many attempts, try again later',
  SERVICE_UNAVAILABLE: 'The service is busy, try again shortly',
  INTERNAL_ERROR: 'Internal server error',
};

const humanise = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');

/** The example body of one error code, as the error filter writes it. */
export function errorExample(code: ErrorCode): Record<string, unknown> {
  const status = ERROR_STATUS[code];
  const body: Record<string, unknown> = {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message: EXAMPLE_MESSAGES[code] ?? humanise(code),
    code,
  };
  if (code === 'BAD_REQUEST') {
    body.message = ['quantity must not be less than 1'];
    body.errors = [
      { field: 'items.0.quantity', code: 'MIN', message: 'quantity must not be less than 1' },
    ];
  }
  if (code === 'INTERNAL_ERROR') body.request_id = '3f2a1b0c-9d8e-4c6a-9e7d-5d7a1c4e2b1f';
  return body;
}

/** The error codes answered with `status`, in the order ERROR_STATUS lists them. */
export const codesOfStatus = (status: number): ErrorCode[] =>
  (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => ERROR_STATUS[c] === status);

type Json = Record<string, any>;

export function finishDocument(doc: OpenAPIObject): OpenAPIObject {
  const components = (doc.components ??= {}) as Json;
  components.headers = { ...RESPONSE_HEADERS };
  components.examples = Object.fromEntries(
    (Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => [
      code,
      { summary: `${ERROR_STATUS[code]} ${code}`, value: errorExample(code) },
    ]),
  );
  const tags = new Set<string>();
  const used = new Set<string>();
  for (const item of Object.values(doc.paths) as Json[]) {
    for (const op of Object.values(item) as Json[]) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      finishOperation(op, used);
      for (const t of op.tags ?? []) tags.add(t);
    }
  }
  for (const code of Object.keys(components.examples)) {
    if (!used.has(code)) delete components.examples[code];
  }
  doc.tags = [...tags].sort().map((name) => ({ name }));
  return doc;
}

function finishOperation(op: Json, usedExamples: Set<string>): void {
  const responses = op.responses as Record<string, Json>;
  const idempotent = (op.parameters ?? []).some(
    (p: Json) => p.in === 'header' && p.name === 'Idempotency-Key',
  );
  const cacheable = '304' in responses;
  const limited = '429' in responses;
  for (const [key, res] of Object.entries(responses)) {
    const status = Number(key);
    const names: HeaderName[] = ['X-Request-Id', 'Cache-Control'];
    if (status === 429 || status === 503) names.push('Retry-After');
    if (idempotent && status >= 200 && status < 300) names.push('Idempotent-Replayed');
    if (cacheable && (status === 200 || status === 304)) names.push('ETag', 'Vary');
    if (limited && (status < 300 || status === 429)) names.push('RateLimit-Policy', 'RateLimit');
    res.headers = {
      ...Object.fromEntries(names.map((n) => [n, headerRef(n)])),
      ...(res.headers ?? {}),
    };
    const json = res.content?.['application/json'];
    if (status >= 400 && json?.schema?.$ref?.endsWith('/ErrorResponse')) {
      const codes = codesOfStatus(status);
      codes.forEach((c) => usedExamples.add(c));
      if (codes.length) {
        json.examples = Object.fromEntries(
          codes.map((c) => [c, { $ref: `#/components/examples/${c}` }]),
        );
      }
    }
  }
}
