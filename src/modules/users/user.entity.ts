import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { UserRole } from '../../common/auth/actor';
import { CreatedAt, UpdatedAt } from '../../database/column-types';
import type { UserAccount } from './user-account';

export type { UserRole } from '../../common/auth/actor';
export { USER_ROLES } from '../../common/auth/actor';

@Entity('users')
export class User implements UserAccount {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;
  @Column({ type: 'varchar', length: 100 }) passwordHash: string;
  @Column({ type: 'varchar', length: 100 }) firstName: string;
  @Column({ type: 'varchar', length: 100 }) lastName: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) phone: string | null;
  @Column({ type: 'varchar', length: 16 }) role: UserRole;
  @Column({ type: 'boolean', default: true }) isActive: boolean;
  @Column({ type: 'boolean', default: false }) isVerified: boolean;
  /**
   * Bumped on block and role change: tokens and sessions carry it and die when it moves. A password
   * change ends every other session of the account, a reset every session (auth's `sessions`).
   */
  @Column({ type: 'integer', default: 0 }) tokenVersion: number;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
