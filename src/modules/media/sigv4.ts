import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for one request with its headers (the `Authorization` header form),
 * as S3-compatible stores (AWS S3, MinIO, Yandex Object Storage, PS Cloud) check it:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * The spec beside this file checks it against the examples AWS publishes.
 */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Request {
  method: string;
  url: URL;
  /** Headers to sign and send (any case); `host` and `x-amz-date` are added. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body (S3 also wants it sent as `x-amz-content-sha256`). */
  payloadHash: string;
}

export interface SigV4Scope {
  region: string;
  service: string;
}

export const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~` (and `/` when kept). */
export function uriEncode(text: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The path as S3 signs it: each segment decoded, then encoded once (`$` → `%24`). */
export function canonicalPath(url: URL): string {
  const path = url.pathname || '/';
  return path
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/');
}

/** Query parameters sorted by encoded name (then value), each `name=value`, joined by `&`. */
export function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** `YYYYMMDDTHHMMSSZ` */
export const amzDate = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export function signingKey(secret: string, day: string, scope: SigV4Scope): Buffer {
  const kDate = hmac(`AWS4${secret}`, day);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  return hmac(kService, 'aws4_request');
}

/** The canonical request and the names of the signed headers. */
export function canonicalRequest(
  req: SigV4Request,
  headers: Record<string, string>,
): { text: string; signedHeaders: string } {
  const names = Object.keys(headers).sort();
  const lines = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const text = [
    req.method.toUpperCase(),
    canonicalPath(req.url),
    canonicalQuery(req.url),
    lines,
    signedHeaders,
    req.payloadHash,
  ].join('\n');
  return { text, signedHeaders };
}

/**
 * Signs the request at `now`: answers the headers to send — the given ones (lower-cased), `host`,
 * `x-amz-date` and `authorization`. Every header given is signed.
 */
export function signV4(
  req: SigV4Request,
  credentials: SigV4Credentials,
  scope: SigV4Scope,
  now: Date,
): Record<string, string> {
  const stamp = amzDate(now);
  const day = stamp.slice(0, 8);
  const headers: Record<string, string> = { host: req.url.host };
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  headers['x-amz-date'] = stamp;
  const { text, signedHeaders } = canonicalRequest(req, headers);
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, credentialScope, sha256Hex(text)].join('\n');
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day, scope))
    .update(stringToSign, 'utf8')
    .digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope},` +
    `SignedHeaders=${signedHeaders},Signature=${signature}`;
  return headers;
}
