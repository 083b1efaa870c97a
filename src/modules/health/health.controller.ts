import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

import { Public } from '../../common/auth/auth.decorators';
import { DomainError } from '../../common/errors/domain-error';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness: the process serves requests' })
  @ApiOkResponse({
    schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database answers' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async ready() {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      // the global filter keeps only `message`: say here what is down, and when to ask again
      const { details } = e.getResponse() as { details?: Record<string, { status: string }> };
      const down = Object.entries(details ?? {})
        .filter(([, v]) => v.status !== 'up')
        .map(([k]) => k);
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        `Not ready: ${down.join(', ') || 'a dependency'} does not answer`,
        {
          status: 'error',
          details: Object.fromEntries(
            Object.entries(details ?? {}).map(([k, v]) => [k, { status: v.status }]),
          ),
        },
        1,
      );
    }
  }
}
