import { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

import { loadConfig } from '../../src/config/app-config';
import { mailerFactory } from '../../src/modules/email/mailer';

/**
 * A real SMTP server offering STARTTLS with a self-signed certificate (smtp-server's own):
 * the mailer must refuse it unless SMTP_TLS_INSECURE=true, and must not fall back to plain text.
 */
describe('SMTP certificate verification', () => {
  let server: SMTPServer;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      logger: false,
      onData: (stream, session, cb) => {
        stream.resume();
        stream.on('end', () => {
          received.push(
            `${session.envelope.rcptTo.map((r) => r.address).join(',')} tls=${session.secure}`,
          );
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (received.length = 0));

  const mailer = (env: Record<string, string>) =>
    mailerFactory(
      loadConfig({
        NODE_ENV: 'test',
        EMAIL_TRANSPORT: 'smtp',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(port),
        ...env,
      }),
    );
  const mail = (to: string) => ({ to, subject: 'Тест', text: 'Сәлем', html: '<p>Сәлем</p>' });

  it('refuses a server whose certificate it cannot verify, by default, and sends nothing', async () => {
    const m = mailer({});
    await expect(m.send(mail('verified@example.kz'))).rejects.toThrow(/certificate/i);
    await m.close();
    expect(received).toEqual([]);
  });

  it('refuses it also when the server asks for a login (no plain-text fallback)', async () => {
    const m = mailer({ SMTP_USER: 'shop', SMTP_PASSWORD: 'secret' });
    await expect(m.send(mail('auth@example.kz'))).rejects.toThrow(/certificate/i);
    await m.close();
    expect(received).toEqual([]);
  });

  it('delivers over STARTTLS to that server only with SMTP_TLS_INSECURE=true (development)', async () => {
    const m = mailer({ SMTP_TLS_INSECURE: 'true' });
    await m.send(mail('insecure@example.kz'));
    await m.close();
    expect(received).toEqual(['insecure@example.kz tls=true']);
  });
});
