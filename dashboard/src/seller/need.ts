import { ApiFailure } from '../api';
import { t } from '../i18n';

/**
 * The data of an unwrapped call, never undefined: the typed client types every answer as possibly
 * empty (its responses list headers), so a screen that needs the body asks for it here.
 */
export async function need<T>(call: Promise<T>): Promise<NonNullable<T>> {
  const data = await call;
  if (data === undefined || data === null) {
    throw new ApiFailure(0, undefined, {}, t('error.generic', { status: 204 }));
  }
  return data;
}
