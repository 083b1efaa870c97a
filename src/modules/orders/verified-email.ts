/**
 * The port checkout asks when CHECKOUT_REQUIRES_VERIFIED_EMAIL is on: has this buyer verified
 * their email address? Bound to the users module's service (`UsersService.isEmailVerified`).
 */
export abstract class VerifiedEmail {
  abstract isEmailVerified(userId: string): Promise<boolean>;
}
