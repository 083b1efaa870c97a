import { randomBytes } from 'node:crypto';

/**
 * The admin `npm run seed` signs in as — never a known password: ADMIN_EMAIL / ADMIN_PASSWORD
 * when both are set (the operator's own), else ADMIN_EMAIL or admin@bibarys.kz with
 * SEED_ADMIN_PASSWORD or, without it, a random password (printed once by the seed). Returns the
 * variables to set before the app boots (its bootstrap creates that admin).
 */
export function seedAdmin(env: NodeJS.ProcessEnv): { ADMIN_EMAIL: string; ADMIN_PASSWORD: string } {
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
    return { ADMIN_EMAIL: env.ADMIN_EMAIL, ADMIN_PASSWORD: env.ADMIN_PASSWORD };
  }
  return {
    ADMIN_EMAIL: env.ADMIN_EMAIL || 'admin@bibarys.kz',
    ADMIN_PASSWORD: env.SEED_ADMIN_PASSWORD || randomBytes(12).toString('base64url'),
  };
}
