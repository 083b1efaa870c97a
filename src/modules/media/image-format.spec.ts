import sharp from 'sharp';

import { sniffImageFormat } from './image-format';

const pixel = () =>
  sharp({ create: { width: 4, height: 3, channels: 3, background: { r: 10, g: 200, b: 30 } } });

describe('sniffImageFormat (by content, never by name)', () => {
  it('recognises JPEG, PNG and WebP that sharp wrote', async () => {
    expect(sniffImageFormat(await pixel().jpeg().toBuffer())).toEqual({ format: 'jpeg' });
    expect(sniffImageFormat(await pixel().png().toBuffer())).toEqual({ format: 'png' });
    expect(sniffImageFormat(await pixel().webp().toBuffer())).toEqual({ format: 'webp' });
  });

  it('names image formats that are not accepted', async () => {
    expect(sniffImageFormat(await pixel().gif().toBuffer())).toEqual({ refused: 'GIF' });
    expect(sniffImageFormat(await pixel().tiff().toBuffer())).toEqual({ refused: 'TIFF' });
    expect(sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({
      refused: 'SVG',
    });
    expect(sniffImageFormat(Buffer.from('%PDF-1.7\n...'))).toEqual({ refused: 'PDF' });
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic0000')]);
    expect(sniffImageFormat(heic)).toEqual({ refused: 'HEIC/AVIF' });
  });

  it('answers undefined for text, other containers and too few bytes', () => {
    expect(sniffImageFormat(Buffer.from('just some text, saved as photo.jpg'))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8]))).toBeUndefined();
    expect(sniffImageFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeUndefined();
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    expect(sniffImageFormat(zip)).toBeUndefined();
  });

  it('looks at the first bytes only: a JPEG signature after text is still text', async () => {
    const jpeg = await pixel().jpeg().toBuffer();
    expect(sniffImageFormat(Buffer.concat([Buffer.from('x'), jpeg]))).toBeUndefined();
  });
});
