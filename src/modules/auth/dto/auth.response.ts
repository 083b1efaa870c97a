import { ApiProperty } from '@nestjs/swagger';

import { UserResponse } from '../../users/dto/user.response';

export class LoginResponse {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'bearer' }) token_type: 'bearer';
  @ApiProperty({ example: 3600, description: 'Seconds until the token expires' })
  expires_in: number;
  @ApiProperty({ type: UserResponse }) user: UserResponse;
}
