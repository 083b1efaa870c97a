import { Module } from '@nestjs/common';
import { UserCache } from './user-cache';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  providers: [UsersService, UsersRepository, UserCache],
  exports: [UsersService],
})
export class UsersModule {}
