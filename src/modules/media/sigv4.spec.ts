import {
  amzDate,
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  sha256Hex,
  signingKey,
  signV4,
  uriEncode,
} from './sigv4';

/**
 * The examples AWS publishes for Signature Version 4: the S3 header-based examples
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html) and the IAM
 * ListUsers example of the general guide (signing key, canonical request, signature).
 */
const S3_EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const S3_SCOPE = { region: 'us-east-1', service: 's3' };
const S3_DATE = new Date('2013-05-24T00:00:00Z');
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const bucket = (path: string) => new URL(`https://examplebucket.s3.amazonaws.com${path}`);
const signatureOf = (h: Record<string, string>) =>
  /Signature=([0-9a-f]{64})$/.exec(h.authorization)?.[1];

describe('AWS Signature V4', () => {
  it('GET Object with a Range header (S3 example)', () => {
    const h = signV4(
      {
        method: 'GET',
        url: bucket('/test.txt'),
        headers: { Range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY },
        payloadHash: EMPTY,
      },
      S3_EXAMPLE,
      S3_SCOPE,
      S3_DATE,
    );
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(h['x-amz-date']).toBe('20130524T000000Z');
    expect(h.host).toBe('examplebucket.s3.amazonaws.com');
  });

  it('PUT Object whose key needs encoding (S3 example: test$file.text)', () => {
    const body = 'Welcome to Amazon S3.';
    const payloadHash = sha256Hex(body);
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const h = signV4(
      {
        method: 'PUT',
        url: bucket('/test$file.text'),
        headers: {
          Date: 'Fri, 24 May 2013 00:00:00 GMT',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': payloadHash,
        },
        payloadHash,
      },
      S3_EXAMPLE,
      S3_SCOPE,
      S3_DATE,
    );
    expect(h.authorization).toContain(
      'SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,',
    );
    expect(signatureOf(h)).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  /** A GET on the bucket itself with an empty body, as the lifecycle and listing examples are. */
  const bucketGet = (query: string) =>
    signatureOf(
      signV4(
        {
          method: 'GET',
          url: bucket(`/?${query}`),
          headers: { 'x-amz-content-sha256': EMPTY },
          payloadHash: EMPTY,
        },
        S3_EXAMPLE,
        S3_SCOPE,
        S3_DATE,
      ),
    );

  it('GET Bucket lifecycle: a query parameter without a value (S3 example)', () => {
    expect(bucketGet('lifecycle')).toBe(
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    );
  });

  it('GET Bucket (list objects): query parameters sorted by name (S3 example)', () => {
    expect(bucketGet('max-keys=2&prefix=J')).toBe(
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    );
  });

  describe('the IAM ListUsers example of the general guide', () => {
    const creds = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    };
    const scope = { region: 'us-east-1', service: 'iam' };
    const req = {
      method: 'GET',
      url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      payloadHash: EMPTY,
    };
    const at = new Date('2015-08-30T12:36:00Z');

    it('derives the documented signing key', () => {
      expect(signingKey(creds.secretAccessKey, '20150830', scope).toString('hex')).toBe(
        'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
      );
    });

    it('builds the documented canonical request', () => {
      const { text } = canonicalRequest(req, {
        'content-type': req.headers['Content-Type'],
        host: 'iam.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
      });
      expect(sha256Hex(text)).toBe(
        'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
      );
    });

    it('signs it with the documented signature', () => {
      expect(signatureOf(signV4(req, creds, scope, at))).toBe(
        '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
      );
    });
  });

  it('encodes as RFC 3986 wants: only unreserved characters stay', () => {
    expect(uriEncode('a-b_c.d~e')).toBe('a-b_c.d~e');
    expect(uriEncode('a b+c/d*é')).toBe('a%20b%2Bc%2Fd%2A%C3%A9');
    expect(uriEncode('a/b', true)).toBe('a/b');
    expect(canonicalPath(new URL('https://h/bucket/ab/x%20y.jpg'))).toBe('/bucket/ab/x%20y.jpg');
    expect(canonicalPath(new URL('https://h/'))).toBe('/');
    expect(canonicalQuery(new URL('https://h/?b=2&a=1&a=0'))).toBe('a=0&a=1&b=2');
  });

  it('signs the port of a non-default endpoint in the host header', () => {
    const h = signV4(
      { method: 'PUT', url: new URL('http://127.0.0.1:9000/b/k'), headers: {}, payloadHash: EMPTY },
      S3_EXAMPLE,
      S3_SCOPE,
      S3_DATE,
    );
    expect(h.host).toBe('127.0.0.1:9000');
    expect(amzDate(new Date('2026-12-01T15:04:05.678Z'))).toBe('20261201T150405Z');
  });

  it('changes the signature when the body, the key or the secret changes', () => {
    const sign = (path: string, payloadHash: string, secret = S3_EXAMPLE.secretAccessKey) =>
      signatureOf(
        signV4(
          { method: 'PUT', url: bucket(path), headers: {}, payloadHash },
          { ...S3_EXAMPLE, secretAccessKey: secret },
          S3_SCOPE,
          S3_DATE,
        ),
      );
    const base = sign('/a.jpg', EMPTY);
    expect(sign('/b.jpg', EMPTY)).not.toBe(base);
    expect(sign('/a.jpg', sha256Hex('x'))).not.toBe(base);
    expect(sign('/a.jpg', EMPTY, 'other-secret')).not.toBe(base);
  });
});
