// Image upload: `POST /api/v1/media` (multipart field `file`) through the session's fetch, so the
// bearer and the one shared refresh apply as on every typed call. The typed client does not
// type multipart bodies; the answer's shape is the media contract.
import { ApiFailure, client, failureOf } from '../api';
import { t } from '../i18n';

export interface Uploaded {
  url: string;
  thumbnail_url: string;
  width: number;
  height: number;
  content_type: string;
  bytes: number;
}

/** Uploads one image: its URLs, or an ApiFailure (400 not an image, 413 over 5 MB). */
export async function uploadImage(file: File): Promise<Uploaded> {
  const body = new FormData();
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await client.session.fetch(
      new Request(new URL('/api/v1/media', location.origin), { method: 'POST', body }),
    );
  } catch {
    throw new ApiFailure(0, undefined, {}, t('error.network'));
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (response.ok) return json as Uploaded;
  const failure = failureOf(response, json);
  if (response.status === 413) {
    throw new ApiFailure(413, failure.code, {}, t('seller.products.tooLarge'));
  }
  if (response.status === 400 || response.status === 415) {
    throw new ApiFailure(response.status, failure.code, {}, t('seller.products.notImage'));
  }
  throw failure;
}
