import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { Authenticated, CurrentUser, Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { LoginResponse } from './dto/auth.response';
import { RefreshTokenDto } from './dto/session.dto';
import { SessionResponse } from './dto/session.response';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new access token and refresh token (rotation)',
    description:
      'The refresh token sent stops working. A refresh token sent a second time (a copy exists) ' +
      'ends its whole session: 401, and every token of that session stops. Unknown, tampered, ' +
      'expired tokens, ended sessions and blocked accounts: 401, nothing issued.',
  })
  @ApiOkResponse({ type: LoginResponse })
  @ApiErrors(400, 401)
  refresh(@Body() dto: RefreshTokenDto): Promise<LoginResponse> {
    return this.sessions.refresh(dto.refresh_token);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the session of this refresh token',
    description:
      'Its access tokens stop at once. A token that is unknown or whose session already ended ' +
      'also answers 204: the caller is signed out either way.',
  })
  @ApiNoContentResponse({ description: 'The session ended' })
  @ApiErrors(400)
  logout(@Body() dto: RefreshTokenDto): Promise<void> {
    return this.sessions.logout(dto.refresh_token);
  }

  @Post('logout-all')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session of the signed-in user, this one included' })
  @ApiNoContentResponse({ description: 'Every session ended' })
  logoutAll(@CurrentUser() actor: Actor): Promise<void> {
    return this.sessions.logoutAll(actor);
  }

  @Get('sessions')
  @Authenticated()
  @ApiOperation({
    summary: 'The signed-in user’s working sessions, most recently used first',
    description: '`current` marks the session of the token making this request.',
  })
  @ApiOkResponse({ type: [SessionResponse] })
  list(@CurrentUser() actor: Actor): Promise<SessionResponse[]> {
    return this.sessions.list(actor);
  }

  @Delete('sessions/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({
    summary: 'End one of the signed-in user’s sessions (e.g. a lost phone)',
    description: 'Another user’s, an unknown or an already ended session: 404.',
  })
  @ApiNoContentResponse({ description: 'The session ended' })
  @ApiErrors(400, 404)
  revoke(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.sessions.revoke(actor, id);
  }
}
