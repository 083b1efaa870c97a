import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { Authenticated, CurrentUser, Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { UserResponse } from '../users/dto/user.response';
import { AccountLinksService } from './account-links.service';
import { ForgotPasswordDto, ResetPasswordDto, VerifyEmailDto } from './dto/account.dto';
import { AcceptedResponse } from './dto/account.response';

/** Password reset and email verification: the routes behind the mailed links. */
@ApiTags('auth')
@Controller('auth')
export class AccountController {
  constructor(private readonly links: AccountLinksService) {}

  @Post('password/forgot')
  @RateLimit('password-forgot')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mail a password reset link (valid 1 hour, single use)',
    description:
      'Answers 202 with the same body, in the same time, whether or not the address has an ' +
      'account; only an existing, active account gets the mail with ' +
      '`PUBLIC_WEB_URL/reset-password?token=…`.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiErrors(400)
  forgot(@Body() dto: ForgotPasswordDto): AcceptedResponse {
    return this.links.forgotPassword(dto);
  }

  @Post('password/reset')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the token of a reset link',
    description:
      'The password changes and every session of the account ends. A used, expired, unknown or ' +
      'malformed token (or, with a bearer token, another account’s) → 400 `RESET_TOKEN_INVALID`, ' +
      'and nothing changes.',
  })
  @ApiNoContentResponse({ description: 'The password changed; every session ended' })
  @ApiErrors(400)
  reset(@CurrentUser() caller: Actor | undefined, @Body() dto: ResetPasswordDto): Promise<void> {
    return this.links.resetPassword(caller, dto);
  }

  @Post('email/verify')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify the email address with the token of a verification link',
    description:
      'Answers the user with `is_verified: true`. A used, expired, unknown or malformed token ' +
      '(or, with a bearer token, another account’s) → 400 `VERIFICATION_TOKEN_INVALID`.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400)
  verify(
    @CurrentUser() caller: Actor | undefined,
    @Body() dto: VerifyEmailDto,
  ): Promise<UserResponse> {
    return this.links.verifyEmail(caller, dto);
  }

  @Post('email/verify-request')
  @RateLimit('email-verify-request')
  @Authenticated()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mail a new verification link (valid 48 hours) to the signed-in user',
    description: 'An address already verified → 409 `EMAIL_ALREADY_VERIFIED`.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiErrors(409)
  requestVerification(@CurrentUser() actor: Actor): Promise<AcceptedResponse> {
    return this.links.requestVerification(actor);
  }
}
