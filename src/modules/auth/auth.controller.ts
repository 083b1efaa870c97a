import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { Authenticated, CurrentUser, Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { type ClientInfo, CurrentClient } from '../../common/http/client-info.decorator';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { UserResponse } from '../users/dto/user.response';
import { AuthService } from './auth.service';
import { LoginDto, RegisterDto, UpdateProfileDto } from './dto/auth.dto';
import { LoginResponse } from './dto/auth.response';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @RateLimit('register')
  @ApiOperation({ summary: 'Create a customer or seller account (a welcome mail follows)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(400, 409, 503)
  register(@Body() dto: RegisterDto): Promise<UserResponse> {
    return this.auth.register(dto);
  }

  @Post('login')
  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange email and password for an access token and a refresh token',
    description:
      'Starts a session (listed by `GET /auth/sessions`, named by the access token’s `sid`). The ' +
      'access token lasts `expires_in` seconds; `POST /auth/refresh` with the refresh token gives ' +
      'the next pair.',
  })
  @ApiOkResponse({ type: LoginResponse })
  @ApiErrors(400, 401, 403, 429, 503)
  login(@Body() dto: LoginDto, @CurrentClient() client: ClientInfo): Promise<LoginResponse> {
    return this.auth.login(dto, client);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() actor: Actor): Promise<UserResponse> {
    return this.auth.me(actor);
  }

  @Put('profile')
  @Authenticated()
  @ApiOperation({
    summary: 'Change own name, phone or password (password needs current_password)',
    description:
      'Answers 200 with the updated user. A password change ends every other session of the ' +
      'account at once (their access and refresh tokens stop working); the session of this call ' +
      'goes on.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400)
  updateProfile(@CurrentUser() user: Actor, @Body() dto: UpdateProfileDto): Promise<UserResponse> {
    return this.auth.updateProfile(user, dto);
  }
}
