// Image upload: `POST /api/v1/media` (multipart field `file`) through the typed client, whose
// fetch passes a FormData body through as multipart (the browser sets the boundary).
import { api, ApiFailure, type Schemas, unwrap } from '../api';
import { t } from '../i18n';

export type Uploaded = Schemas['MediaResponse'];

/** Uploads one image: its URLs, or an ApiFailure saying why (not an image, over 5 MB). */
export async function uploadImage(file: File): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', file, file.name);
  try {
    // the schema types the part as a binary string; the FormData is what goes on the wire
    return await unwrap(api.POST('/api/v1/media', { body: form as unknown as { file: string } }));
  } catch (e) {
    if (!(e instanceof ApiFailure)) throw e;
    if (e.status === 413) throw new ApiFailure(413, e.code, {}, t('seller.products.tooLarge'));
    if (e.status === 400) {
      throw new ApiFailure(400, e.code, {}, e.fields.file ?? t('seller.products.notImage'));
    }
    throw e;
  }
}
