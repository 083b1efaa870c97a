import type { UserRole } from '../../common/auth/actor';

/**
 * What the users module shows other modules of an account (auth reads the hash and the token
 * version; admin and orders the names and flags): they `import type` this shape, never the entity.
 */
export interface UserAccount {
  id: string;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  role: UserRole;
  isActive: boolean;
  isVerified: boolean;
  /** Tokens and sessions carry it; moving it ends every token and session issued before. */
  tokenVersion: number;
  createdAt: Date;
  updatedAt: Date;
}
