import { ApiProperty } from '@nestjs/swagger';

import { UserResponse } from '../../users/dto/user.response';

/** The answer of a login and of a refresh: a new access token and a new refresh token. */
export class LoginResponse {
  @ApiProperty({ description: 'Bearer token (HS256 JWT); its `sid` claim is the session id' })
  access_token: string;
  @ApiProperty({ example: 'bearer' }) token_type: 'bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expires_in: number;
  @ApiProperty({
    example: 'hH2m5ZC2l1jv4M1d8nE6Yc9n0bq3rXyq5m7lq2k0s8A',
    description:
      'Opaque, single use: `POST /auth/refresh` with it answers a new pair and it stops working. ' +
      'Used a second time, it ends its whole session.',
  })
  refresh_token: string;
  @ApiProperty({ example: 2592000, description: 'Seconds until the refresh token expires' })
  refresh_expires_in: number;
  @ApiProperty({ type: UserResponse }) user: UserResponse;
}
