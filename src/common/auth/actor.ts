export const USER_ROLES = ['customer', 'seller', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Who is acting: what the guard knows of the signed-in account, and all a service needs for its
 * rules. Never the `users` row (no password hash, no token version): a service that needs more
 * asks the users module for it.
 */
export interface Actor {
  id: string;
  role: UserRole;
  email: string;
  firstName: string;
  lastName: string;
  /** The session of the access token this request came with (absent outside HTTP requests). */
  sessionId?: string;
}

/** The actor of an account row (copies the four fields, so the row never leaks through). */
export const toActor = (u: Actor): Actor => ({
  id: u.id,
  role: u.role,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
});
