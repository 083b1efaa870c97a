import { Module } from '@nestjs/common';

import { UserAnalyticsRepository } from './user-analytics.repository';
import { UserAnalytics } from './user-analytics.service';
import { UserCache } from './user-cache';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  providers: [UsersService, UsersRepository, UserCache, UserAnalyticsRepository, UserAnalytics],
  exports: [UsersService, UserAnalytics],
})
export class UsersModule {}
