import { ApiProperty } from '@nestjs/swagger';

import type { UserRole } from '../user.entity';
import { USER_ROLES } from '../user.entity';
import type { UserAccount } from '../user-account';

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'aigerim@example.kz' }) email: string;
  @ApiProperty({ example: 'Айгерим' }) first_name: string;
  @ApiProperty({ example: 'Нурланова' }) last_name: string;
  @ApiProperty({ type: String, nullable: true, example: '+77011234567' }) phone: string | null;
  @ApiProperty({ enum: USER_ROLES, example: 'customer' }) role: UserRole;
  @ApiProperty() is_active: boolean;
  @ApiProperty() is_verified: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export function toUserResponse(u: UserAccount): UserResponse {
  return {
    id: u.id,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    phone: u.phone ?? null,
    role: u.role,
    is_active: u.isActive,
    is_verified: u.isVerified,
    created_at: new Date(u.createdAt).toISOString(),
    updated_at: new Date(u.updatedAt).toISOString(),
  };
}
