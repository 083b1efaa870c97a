import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { UserAnalyticsRepository } from './user-analytics.repository';
import { UserAnalytics } from './user-analytics.service';
import { User } from './user.entity';
import { UserCache } from './user-cache';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [UsersService, UserCache, PasswordHasher, UserAnalyticsRepository, UserAnalytics],
  exports: [UsersService, PasswordHasher, UserAnalytics],
})
export class UsersModule {}
