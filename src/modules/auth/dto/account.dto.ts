import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';

const trimLower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class ForgotPasswordDto {
  @ApiProperty({ example: 'aigerim@example.kz', maxLength: 254 })
  @Transform(trimLower)
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The `token` of the mailed reset link', maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  token: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'N3w-secure-pass' })
  @IsString()
  @Length(8, 128)
  new_password: string;
}

export class VerifyEmailDto {
  @ApiProperty({ description: 'The `token` of the mailed verification link', maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  token: string;
}
