import { Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';

import { AppConfig } from '../../config/app-config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The mail port: deliver one mail or throw. Retries and scheduling live in the outbox sender. */
export abstract class Mailer {
  abstract send(mail: Mail): Promise<void>;
  async close(): Promise<void> {}
}

/** Writes mails to the log (the default: nothing leaves the machine). */
export class LogMailer extends Mailer {
  private readonly logger = new Logger('Mail');
  async send(mail: Mail): Promise<void> {
    this.logger.log(`to=${mail.to} subject="${mail.subject}"\n${mail.text}`);
  }
}

/** Sends through an SMTP server (nodemailer), with short timeouts so a dead server fails fast. */
export class SmtpMailer extends Mailer {
  private readonly transport: Transporter;
  constructor(
    smtp: NonNullable<AppConfig['mail']['smtp']>,
    private readonly from: string,
  ) {
    super();
    this.transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.port === 465,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10000,
      tls: { rejectUnauthorized: false },
      ignoreTLS: smtp.port !== 465 && !smtp.user,
    });
  }
  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...mail });
  }
  async close(): Promise<void> {
    this.transport.close();
  }
}

export function mailerFactory(config: AppConfig): Mailer {
  if (config.mail.transport === 'smtp' && config.mail.smtp) {
    return new SmtpMailer(config.mail.smtp, config.mail.from);
  }
  return new LogMailer();
}
