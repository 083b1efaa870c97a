import { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server in the test process that keeps what it receives. */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Errors of client connections (a client reset mid-session), which end only that session. */
  readonly connectionErrors: Error[] = [];
  private server?: SMTPServer;

  /** `rejects`: recipients the server refuses (550), to make single mails of a batch fail. */
  constructor(
    public port = 0,
    private readonly rejects: (address: string) => boolean = () => false,
  ) {}

  async start(): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (addr, _session, cb) =>
        this.rejects(addr.address)
          ? cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }))
          : cb(),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: decodeMime(Buffer.concat(chunks).toString('utf8')),
          });
          cb();
        });
      },
    });
    // a client that vanishes mid-session (the fault suite's kill -9 of the server sending mail)
    // resets its connection, and smtp-server emits that as 'error': kept, not thrown, since an
    // EventEmitter's unheard 'error' would end the whole test file (a CI run failed so)
    this.server.on('error', (e: Error) => this.connectionErrors.push(e));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Waits until `predicate` holds for the received mails (polling), or fails after `ms`. */
  async waitFor(
    predicate: (mails: ReceivedMail[]) => boolean,
    ms = 15000,
  ): Promise<ReceivedMail[]> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (predicate(this.mails)) return this.mails;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`mail not received in ${ms} ms; got ${this.mails.length}`);
  }
}

/** Decodes quoted-printable and base64 parts and =?UTF-8?...?= headers, enough to search text. */
function decodeMime(raw: string): string {
  let out = raw.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
  const qp = out.replace(/=\r?\n/g, '');
  out +=
    '\n' +
    Buffer.from(
      qp.replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  for (const m of raw.matchAll(
    /Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/g,
  )) {
    out += '\n' + Buffer.from(m[1].replace(/\s/g, ''), 'base64').toString('utf8');
  }
  return out;
}
