import { Global, Module } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailOutboxService } from './mail-outbox.service';
import { Mailer, mailerFactory } from './mailer';

@Global()
@Module({
  providers: [
    { provide: Mailer, inject: [APP_CONFIG], useFactory: (c: AppConfig) => mailerFactory(c) },
    MailOutboxRepository,
    MailOutboxService,
  ],
  exports: [MailOutboxService, Mailer],
})
export class EmailModule {}
