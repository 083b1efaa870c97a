import { Global, Module } from '@nestjs/common';

import { RateLimitInterceptor } from './rate-limit.interceptor';
import { RateLimitCounters } from './rate-limit.repository';
import { RateLimits } from './rate-limits.service';

/** Global so any controller can use @RateLimit(name) without importing anything. */
@Global()
@Module({
  providers: [RateLimitCounters, RateLimits, RateLimitInterceptor],
  exports: [RateLimits, RateLimitInterceptor],
})
export class RateLimitModule {}
