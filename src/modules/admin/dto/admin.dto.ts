import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import type { UserRole } from '../../../common/auth/actor';
import { USER_ROLES } from '../../../common/auth/actor';
import { PageQuery } from '../../../common/pagination/pagination';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class AdminUserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ type: Boolean, description: '`true` or `false`' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({
    maxLength: 100,
    description: 'Part of the email or of the name, case-insensitive (Cyrillic included)',
    example: 'айгерим',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: USER_ROLES, example: 'seller' })
  @IsIn(USER_ROLES)
  role: UserRole;
}
