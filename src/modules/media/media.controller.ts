import { Controller, HttpCode, Post, Req, UploadedFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors, ErrorResponse } from '../../common/errors/api-errors.decorator';
import { MediaResponse } from './dto/media.response';
import { MediaService } from './media.service';
import { ImageUpload, requestOrigin, UploadedBytes } from './media-upload';

@ApiTags('media')
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Post()
  @Roles('seller', 'admin')
  @HttpCode(201)
  @ImageUpload()
  @ApiOperation({
    summary: 'Upload a product image (multipart field `file`)',
    description:
      'JPEG, PNG or WebP, recognised by content. The image is turned upright by its EXIF ' +
      'orientation, stripped of all metadata (EXIF, GPS, XMP, ICC), scaled to fit 2000×2000 and ' +
      'stored in its own format, with a 320 px WebP thumbnail. Names are the SHA-256 of the ' +
      'stored bytes: the same upload answers the same URLs. Put `url` in a product’s ' +
      '`image_urls`. A refused file stores nothing: 400 names `file` (`NOT_AN_IMAGE`, ' +
      '`UNSUPPORTED_IMAGE_FORMAT`, `CORRUPT_IMAGE`, `IMAGE_TOO_LARGE`, `REQUIRED`, ' +
      '`INVALID_UPLOAD`), 413 for a file over MEDIA_MAX_BYTES (`FILE_TOO_LARGE`).',
  })
  @ApiCreatedResponse({ type: MediaResponse, description: 'Stored' })
  @ApiErrors(400, 503)
  @ApiResponse({
    status: 413,
    description: 'The file is larger than MEDIA_MAX_BYTES (5 MiB by default)',
    type: ErrorResponse,
  })
  upload(
    @CurrentUser() user: Actor,
    @UploadedFile() file: UploadedBytes | undefined,
    @Req() req: Request,
  ): Promise<MediaResponse> {
    return this.media.upload(user, file?.buffer, requestOrigin(req));
  }
}
