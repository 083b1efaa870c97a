import { jsonDepth, MAX_JSON_DEPTH } from './json-depth';

describe('jsonDepth', () => {
  it('measures nesting and ignores brackets inside strings', () => {
    expect(jsonDepth(Buffer.from('{"a":[1,{"b":2}]}'))).toBe(3);
    expect(jsonDepth(Buffer.from('{"a":"[[[[[[\\"{{{{"}'))).toBe(1);
    expect(jsonDepth(Buffer.from('12'))).toBe(0);
  });
  it('stops counting past the limit', () => {
    expect(jsonDepth(Buffer.from('['.repeat(100000)))).toBe(MAX_JSON_DEPTH + 1);
  });
});
