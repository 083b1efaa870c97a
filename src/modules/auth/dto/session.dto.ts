import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token of the last login or refresh', maxLength: 2048 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  refresh_token: string;
}
