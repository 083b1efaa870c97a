import { Logger } from '@nestjs/common';

import { loadConfig } from '../../config/app-config';
import { LogMailer, mailerFactory, SmtpMailer } from './mailer';

const mail = {
  to: 'aruzhan@example.kz',
  subject: 'Сброс пароля',
  text: 'Ссылка: https://bibarys.kz/reset?token=SECRET-TOKEN-123',
  html: '<a href="https://bibarys.kz/reset?token=SECRET-TOKEN-123">Сбросить</a>',
};

describe('LogMailer', () => {
  let logged: string[];
  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((m: unknown) => {
      logged.push(String(m));
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('in production logs the recipient and subject, never the body (it carries tokens)', async () => {
    const prod = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      PAYMENT_WEBHOOK_SECRET: 'w'.repeat(32),
      EMAIL_TRANSPORT: 'log',
    });
    const mailer = mailerFactory(prod);
    expect(mailer).toBeInstanceOf(LogMailer);
    await mailer.send(mail);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('aruzhan@example.kz');
    expect(logged[0]).toContain('Сброс пароля');
    expect(logged[0]).not.toContain('SECRET-TOKEN-123');
  });

  it('in development writes the body too, so a developer can follow the links', async () => {
    await mailerFactory(loadConfig({ NODE_ENV: 'development' })).send(mail);
    expect(logged.join('\n')).toContain('SECRET-TOKEN-123');
  });

  it('is replaced by SMTP when EMAIL_TRANSPORT=smtp', () => {
    const c = loadConfig({ NODE_ENV: 'test', EMAIL_TRANSPORT: 'smtp', SMTP_HOST: 'localhost' });
    expect(mailerFactory(c)).toBeInstanceOf(SmtpMailer);
  });
});
