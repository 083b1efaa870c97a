import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor, MulterModuleOptions } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { Request } from 'express';
import { catchError, Observable, throwError } from 'rxjs';

import { fieldsRefused } from '../../common/errors/validation-errors';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';

/** The multipart field that carries the image. */
export const UPLOAD_FIELD = 'file';

/** What multer (memory storage) hands the route: the whole file, at most MEDIA_MAX_BYTES. */
export interface UploadedBytes {
  buffer: Buffer;
  size: number;
}

/**
 * multer's limits: the file is kept in memory as it arrives and dropped as soon as it passes
 * `maxBytes` (never more is held; the rest of the body is read and discarded, then 413); one
 * file, no other fields.
 */
export const uploadLimits = (config: AppConfig): MulterModuleOptions => ({
  limits: {
    fileSize: config.media.maxBytes,
    files: 1,
    fields: 0,
    fieldNameSize: 100,
    headerPairs: 20,
  },
});

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`;

/**
 * Answers what multer and busboy refuse in the project's error body, naming the field:
 * a file past the limit → 413 PAYLOAD_TOO_LARGE, anything else wrong with the form → 400.
 */
@Injectable()
export class UploadErrors implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((e: unknown) => throwError(() => this.describe(e))));
  }

  private describe(e: unknown): unknown {
    // only what the upload interceptor raised: it keeps multer's (or busboy's) error as the cause
    if (!(e instanceof HttpException) || e.cause === undefined) return e;
    const field = (e.cause as { field?: string } | undefined)?.field ?? UPLOAD_FIELD;
    switch (e.getStatus()) {
      case HttpStatus.PAYLOAD_TOO_LARGE: {
        const max = this.config.media.maxBytes;
        return fieldsRefused('PAYLOAD_TOO_LARGE', [
          {
            field,
            code: 'FILE_TOO_LARGE',
            message: `${field} is larger than ${mib(max)} (${max} bytes)`,
          },
        ]);
      }
      case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
        return fieldsRefused('BAD_REQUEST', [
          { field, code: 'NOT_MULTIPART', message: 'send the image as multipart/form-data' },
        ]);
      case HttpStatus.BAD_REQUEST:
        return fieldsRefused('BAD_REQUEST', [
          {
            field,
            code: 'INVALID_UPLOAD',
            message: `${e.message}: send one image as the multipart/form-data field "${UPLOAD_FIELD}" and nothing else`,
          },
        ]);
      default:
        return e;
    }
  }
}

/** One image in the multipart field `file`, read by multer with the limits above. */
export const ImageUpload = () =>
  applyDecorators(
    UseInterceptors(UploadErrors, FileInterceptor(UPLOAD_FIELD)),
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: [UPLOAD_FIELD],
        properties: {
          [UPLOAD_FIELD]: {
            type: 'string',
            format: 'binary',
            description:
              'A JPEG, PNG or WebP image (recognised by its bytes, not its name or type), at ' +
              'most MEDIA_MAX_BYTES (5 MiB by default) and 50 megapixels',
          },
        },
      },
    }),
  );

/** Where the request came to (`https://host[:port]`; behind a proxy only with TRUST_PROXY). */
export const requestOrigin = (req: Request): string => `${req.protocol}://${req.get('host')}`;
