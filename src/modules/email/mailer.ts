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

/**
 * Writes mails to the log (the default: nothing leaves the machine). The body (which carries
 * reset and verification links) is written only outside production: a production log holds the
 * recipient and the subject, never a token.
 */
export class LogMailer extends Mailer {
  private readonly logger = new Logger('Mail');
  constructor(private readonly withBody = true) {
    super();
  }
  async send(mail: Mail): Promise<void> {
    const head = `to=${mail.to} subject="${mail.subject}"`;
    this.logger.log(this.withBody ? `${head}\n${mail.text}` : `${head} (body not logged)`);
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
      // the server's certificate is verified unless SMTP_TLS_INSECURE=true (refused in
      // production); STARTTLS is used whenever the server offers it
      tls: { rejectUnauthorized: !smtp.tlsInsecure },
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
  return new LogMailer(config.env !== 'production');
}
