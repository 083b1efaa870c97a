import type { Actor, UserRole } from '../common/auth/actor';
import type { DomainError } from '../common/errors/domain-error';

/** An actor for unit specs: `id` doubles as the name, `<id>@x.kz` as the email. */
export const testActor = (id: string, role: UserRole): Actor => ({
  id,
  role,
  email: `${id}@x.kz`,
  firstName: id,
  lastName: id,
});

/** The DomainError code a call fails with, or 'ok' when it succeeds. */
export async function codeOf(work: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof work === 'function' ? work() : work);
    return 'ok';
  } catch (e) {
    return (e as DomainError).code ?? String(e);
  }
}
