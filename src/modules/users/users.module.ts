import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { User } from './user.entity';
import { UserCache } from './user-cache';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [UsersService, UserCache, PasswordHasher],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
