import { UnitOfWork } from '../../src/database/unit-of-work';
import { MailOutboxService } from '../../src/modules/email/mail-outbox.service';
import { OutboxMail } from '../../src/modules/email/outbox-mail.entity';
import { welcomeMail } from '../../src/modules/email/templates';
import { createTestApp, createTestDatabase, isPgRun, TestApp } from '../create-test-app';
import { uniqueEmail } from '../factories/users';
import { recordQueries } from '../support/queries';
import { SmtpSink } from '../support/smtp-sink';

const smtpEnv = (port: number) => ({
  EMAIL_TRANSPORT: 'smtp',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(port),
});

describe('mail outbox (e2e, real SMTP)', () => {
  it('sends the welcome mail in Russian to the new user', async () => {
    const sink = new SmtpSink();
    const t = await createTestApp(smtpEnv(await sink.start()));
    try {
      const email = uniqueEmail('welcome');
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ email, password: 'password-123', first_name: 'Жанар', last_name: 'Омарова' });
      expect(res.status).toBe(201);
      const mails = await sink.waitFor((m) => m.some((x) => x.to.includes(email)));
      const mail = mails.find((x) => x.to.includes(email))!;
      expect(mail.raw).toContain('Добро пожаловать в Bibarys');
      expect(mail.raw).toContain('Жанар');
    } finally {
      await t.close();
      await sink.stop();
    }
  });

  it('keeps the mail while the server is down and delivers it once it is back', async () => {
    const probe = new SmtpSink();
    const port = await probe.start();
    await probe.stop(); // a port nobody listens on now
    const t = await createTestApp(smtpEnv(port));
    const sink = new SmtpSink(port);
    try {
      const email = uniqueEmail('later');
      const started = Date.now();
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ email, password: 'password-123', first_name: 'Бауыржан', last_name: 'Ким' });
      expect(res.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(5000);
      const repo = t.ds.getRepository(OutboxMail);
      const deadline = Date.now() + 10000;
      let row = await repo.findOneByOrFail({ toAddress: email });
      while (row.attempts === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        row = await repo.findOneByOrFail({ toAddress: email });
      }
      expect(row.status).toBe('pending');
      expect(row.attempts).toBeGreaterThan(0);
      expect(row.lastError).toBeTruthy();
      await sink.start();
      await repo.update({ id: row.id }, { nextAttemptAt: new Date() }); // skip the backoff wait
      await t.app.get(MailOutboxService).flush();
      await sink.waitFor((m) => m.some((x) => x.to.includes(email)));
      expect((await repo.findOneByOrFail({ id: row.id })).status).toBe('sent');
    } finally {
      await t.close();
      await sink.stop();
    }
  });

  it('sends a burst in batches: each mail once, the sent ones marked together, a refused one kept for retry', async () => {
    const refused = new Set([uniqueEmail('refused-a'), uniqueEmail('refused-b')]);
    const sink = new SmtpSink(0, (a) => refused.has(a));
    const t = await createTestApp({ ...smtpEnv(await sink.start()), MAIL_POLL_MS: '600000' });
    try {
      const ok = Array.from({ length: 25 }, (_, i) => uniqueEmail(`burst${i}`));
      const all = [...ok.slice(0, 10), ...refused, ...ok.slice(10)]; // 27: more than one batch
      const outbox = t.app.get(MailOutboxService);
      await t.app.get(UnitOfWork).run(async (em) => {
        for (const to of all) await outbox.enqueue(em, welcomeMail(to, 'Тест'), 'welcome');
      });
      const flushed = Date.now();
      await outbox.flush();
      await sink.waitFor((m) => ok.every((r) => m.some((x) => x.to.includes(r))));
      await new Promise((r) => setTimeout(r, 300));
      for (const r of ok) expect(sink.mails.filter((x) => x.to.includes(r))).toHaveLength(1);
      const rows = await t.ds.getRepository(OutboxMail).find();
      const byTo = new Map(rows.map((r) => [r.toAddress, r]));
      for (const r of ok) {
        expect(byTo.get(r)).toMatchObject({ status: 'sent', attempts: 1, lockedUntil: null });
        expect(byTo.get(r)!.sentAt).toBeTruthy();
      }
      for (const r of refused) {
        const row = byTo.get(r)!;
        // (a slow SMTP round over the batch can outlast the 1 s backoff: then a later claim of the
        // same pass retries it once more, refused again)
        expect(row).toMatchObject({ status: 'pending', lockedUntil: null });
        expect(row.attempts).toBeGreaterThanOrEqual(1);
        expect(row.lastError).toMatch(/mailbox unavailable/);
        expect(new Date(row.nextAttemptAt).getTime()).toBeGreaterThanOrEqual(flushed + 900); // backoff
      }
    } finally {
      await t.close();
      await sink.stop();
    }
  });

  // SQLite's plans ("SCAN <table>" = a full scan); PostgreSQL may rightly scan a tiny table
  // (defined only in the SQLite run)
  if (!isPgRun())
    it('the sender reaches its rows through indexes, however many sent mails the table holds', async () => {
      const t = await createTestApp({ MAIL_POLL_MS: '600000' });
      try {
        const outbox = t.app.get(MailOutboxService);
        await t.app.get(UnitOfWork).run(async (em) => {
          for (let i = 0; i < 5; i++)
            await outbox.enqueue(em, welcomeMail(uniqueEmail(`idx${i}`), 'Тест'), 'welcome');
        });
        const seen = (await recordQueries(t.ds, () => outbox.flush()))
          .filter((q) => /mail_outbox/.test(q.sql) && !/^\s*INSERT/i.test(q.sql))
          .map((q) => [q.sql, q.params] as const);
        expect(seen.length).toBeGreaterThanOrEqual(3); // due list, claim, read-back, sent
        for (const [sql, params] of seen) {
          const plan = (await t.ds.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as {
            detail: string;
          }[];
          const scans = plan.map((r) => r.detail).filter((l) => /^SCAN /.test(l));
          expect([sql, scans]).toEqual([sql, []]);
        }
      } finally {
        await t.close();
      }
    });

  // Two apps in one Node process share one thread: on SQLite the synchronous busy wait of one
  // connection would stall the other's commit, so the two-instance run needs PostgreSQL (the
  // claim is the same conditional UPDATE on both databases).
  // (defined only in the PostgreSQL run, `npm run test:pg`)
  if (isPgRun())
    it('sends each mail once when two server processes share the outbox', async () => {
      const sink = new SmtpSink();
      const env = smtpEnv(await sink.start());
      const db = await createTestDatabase();
      let a: TestApp | undefined;
      let b: TestApp | undefined;
      try {
        a = await createTestApp({ ...env, MAIL_POLL_MS: '600000' }, db);
        b = await createTestApp({ ...env, MAIL_POLL_MS: '600000' }, db);
        const recipients = Array.from({ length: 30 }, (_, i) => uniqueEmail(`bulk${i}`));
        const outA = a.app.get(MailOutboxService);
        await a.app.get(UnitOfWork).run(async (em) => {
          for (const to of recipients) await outA.enqueue(em, welcomeMail(to, 'Тест'), 'welcome');
        });
        await Promise.all([outA.flush(), b.app.get(MailOutboxService).flush(), outA.flush()]);
        await sink.waitFor((m) => recipients.every((r) => m.some((x) => x.to.includes(r))));
        await new Promise((r) => setTimeout(r, 300));
        for (const r of recipients)
          expect(sink.mails.filter((x) => x.to.includes(r))).toHaveLength(1);
        const sent = await a.ds.getRepository(OutboxMail).countBy({ status: 'sent' });
        expect(sent).toBe(recipients.length);
      } finally {
        await a?.close();
        await b?.close();
        await db.drop();
        await sink.stop();
      }
    });
});
