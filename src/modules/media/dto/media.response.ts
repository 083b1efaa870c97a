import { ApiProperty } from '@nestjs/swagger';

import { IMAGE_FORMATS } from '../image-format';

export class MediaResponse {
  @ApiProperty({
    example: 'https://api.bibarys.kz/media/3f/3fa2…9c.jpg',
    description:
      'The stored image, absolute: put it in a product’s `image_urls`. Content-addressed (the ' +
      'SHA-256 of the stored bytes): the same image uploaded again answers the same URL',
  })
  url: string;
  @ApiProperty({
    example: 'https://api.bibarys.kz/media/8b/8b0d…41.webp',
    description: 'A WebP thumbnail that fits in 320×320 pixels',
  })
  thumbnail_url: string;
  @ApiProperty({ example: 2000, description: 'Pixels, after EXIF rotation and the 2000 px cap' })
  width: number;
  @ApiProperty({ example: 1500 }) height: number;
  @ApiProperty({
    enum: Object.values(IMAGE_FORMATS).map((f) => f.contentType),
    example: 'image/jpeg',
    description: 'The stored image keeps the uploaded format',
  })
  content_type: string;
  @ApiProperty({ example: 284113, description: 'Size of the stored image in bytes' })
  bytes: number;
}
