import { Metrics } from '../../observability/metrics';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { DeliveryFailure, QueuedMail } from './mail-outbox.repository';
import { backoffMs, BATCH, LOCK_MS, MailOutboxService, MAX_ATTEMPTS } from './mail-outbox.service';
import { Mail, Mailer } from './mailer';
import type { OutboxMail } from './outbox-mail.entity';

/** An in-memory mail_outbox with the repository's conditional semantics. */
class FakeOutboxRepo {
  rows: OutboxMail[] = [];
  leases: { ids: string[]; token: string; now: Date; until: Date }[] = [];
  sent: { ids: string[]; token: string }[] = [];
  failures: { id: string; token: string; f: DeliveryFailure }[] = [];
  dueCalls = 0;
  private seq = 0;

  async insert(_tx: unknown, m: QueuedMail) {
    this.rows.push(this.row({ ...m }));
  }

  row(p: Partial<OutboxMail>): OutboxMail {
    return {
      id: `m${++this.seq}`,
      toAddress: 'a@b.kz',
      subject: 's',
      textBody: 't',
      htmlBody: 'h',
      kind: 'welcome',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(0),
      lockedUntil: null,
      lockedBy: null,
      lastError: null,
      sentAt: null,
      requestId: null,
      createdAt: new Date(0),
      ...p,
    };
  }

  private free = (r: OutboxMail, now: Date) =>
    r.status === 'pending' && (!r.lockedUntil || r.lockedUntil < now);

  async dueIds(now: Date, limit: number) {
    this.dueCalls++;
    return this.rows
      .filter((r) => this.free(r, now) && r.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit)
      .map((r) => r.id);
  }

  async lease(_tx: unknown, ids: string[], token: string, now: Date, until: Date) {
    this.leases.push({ ids, token, now, until });
    const taken = this.rows.filter((r) => ids.includes(r.id) && this.free(r, now));
    for (const r of taken) Object.assign(r, { lockedBy: token, lockedUntil: until });
    return taken.length;
  }

  async leasedBy(_tx: unknown, ids: string[], token: string) {
    return this.rows
      .filter((r) => ids.includes(r.id) && r.lockedBy === token && r.status === 'pending')
      .map((r) => ({ ...r }));
  }

  async markSent(_tx: unknown, ids: string[], token: string) {
    this.sent.push({ ids, token });
    for (const r of this.rows)
      if (ids.includes(r.id) && r.lockedBy === token)
        Object.assign(r, { status: 'sent', attempts: r.attempts + 1, lockedUntil: null });
  }

  async markFailed(_tx: unknown, id: string, token: string, f: DeliveryFailure) {
    this.failures.push({ id, token, f });
    const r = this.rows.find((x) => x.id === id && x.lockedBy === token);
    if (r) Object.assign(r, f, { lockedUntil: null });
  }
}

class FakeMailer extends Mailer {
  sent: Mail[] = [];
  refuse = new Set<string>();
  async send(mail: Mail) {
    if (this.refuse.has(mail.to)) throw new Error('550 mailbox unavailable');
    this.sent.push(mail);
  }
}

function setup() {
  const repo = new FakeOutboxRepo();
  const uow = new FakeUnitOfWork();
  const mailer = new FakeMailer();
  const config = { mail: { pollMs: 600_000 } };
  const outbox = new MailOutboxService(
    repo as never,
    uow.asUnitOfWork(),
    mailer,
    config as never,
    new Metrics(),
  );
  return { repo, uow, mailer, outbox };
}

describe('backoffMs', () => {
  it('doubles from one second and stops at five minutes', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(0)).toBe(1000);
    expect(backoffMs(9)).toBe(256_000);
    expect(backoffMs(10)).toBe(300_000);
    expect(backoffMs(50)).toBe(300_000);
  });
});

describe('MailOutboxService', () => {
  it('queues a pending mail in the caller’s transaction, the subject cut to 300 characters', async () => {
    const { repo, uow, outbox } = setup();
    const insert = jest.spyOn(repo, 'insert');
    const subject = 'С'.repeat(400);
    await outbox.enqueue(uow.tx, { to: 'x@y.kz', subject, text: 't', html: 'h' }, 'welcome');
    expect(insert.mock.calls[0][0]).toBe(uow.tx);
    expect(insert.mock.calls[0][1]).toEqual(
      expect.objectContaining({
        toAddress: 'x@y.kz',
        kind: 'welcome',
        subject: subject.slice(0, 300),
      }),
    );
    expect(uow.runs).toBe(0); // the caller's transaction, none of its own
  });

  it('opens no transaction when nothing is due', async () => {
    const { repo, uow, outbox, mailer } = setup();
    repo.rows.push(repo.row({ status: 'sent' }));
    repo.rows.push(repo.row({ nextAttemptAt: new Date(Date.now() + 60_000) }));
    repo.rows.push(repo.row({ lockedBy: 'other', lockedUntil: new Date(Date.now() + 60_000) }));
    await outbox.flush();
    expect(repo.dueCalls).toBe(1);
    expect(uow.runs).toBe(0);
    expect(mailer.sent).toEqual([]);
  });

  it('claims due mails for LOCK_MS with one token, sends them and marks them sent together', async () => {
    const { repo, outbox, mailer } = setup();
    for (const to of ['a@kz.kz', 'b@kz.kz', 'c@kz.kz']) repo.rows.push(repo.row({ toAddress: to }));
    const before = Date.now();
    await outbox.flush();
    expect(mailer.sent.map((m) => m.to)).toEqual(['a@kz.kz', 'b@kz.kz', 'c@kz.kz']);
    expect(repo.leases).toHaveLength(1);
    const [lease] = repo.leases;
    expect(lease.until.getTime() - lease.now.getTime()).toBe(LOCK_MS);
    expect(lease.now.getTime()).toBeGreaterThanOrEqual(before);
    expect(repo.sent).toEqual([{ ids: ['m1', 'm2', 'm3'], token: lease.token }]);
    expect(repo.rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('sends nothing another sender leased between the look and the claim', async () => {
    const { repo, outbox, mailer } = setup();
    repo.rows.push(repo.row({ toAddress: 'a@kz.kz' }), repo.row({ toAddress: 'b@kz.kz' }));
    const lease = repo.lease.bind(repo);
    jest.spyOn(repo, 'lease').mockImplementation(async (tx, ids, token, now, until) => {
      // another process takes m1 first
      Object.assign(repo.rows[0], { lockedBy: 'rival', lockedUntil: until });
      return lease(tx, ids, token, now, until);
    });
    await outbox.flush();
    expect(mailer.sent.map((m) => m.to)).toEqual(['b@kz.kz']);
    expect(repo.rows[0]).toMatchObject({ status: 'pending', lockedBy: 'rival' });
  });

  it('claims batch after batch while a batch comes back full', async () => {
    const { repo, outbox, mailer } = setup();
    for (let i = 0; i < BATCH * 2 + 3; i++) repo.rows.push(repo.row({ toAddress: `u${i}@kz.kz` }));
    await outbox.flush();
    expect(repo.leases.map((l) => l.ids.length)).toEqual([BATCH, BATCH, 3]);
    expect(new Set(repo.leases.map((l) => l.token)).size).toBe(3); // a fresh token per claim
    expect(mailer.sent).toHaveLength(BATCH * 2 + 3);
  });

  it('writes a refused mail back at once with its backoff, still pending; the rest are sent', async () => {
    const { repo, outbox, mailer } = setup();
    repo.rows.push(
      repo.row({ toAddress: 'ok@kz.kz' }),
      repo.row({ toAddress: 'no@kz.kz', attempts: 2 }),
    );
    mailer.refuse.add('no@kz.kz');
    const before = Date.now();
    await outbox.flush();
    expect(repo.failures).toHaveLength(1);
    const [{ id, f }] = repo.failures;
    expect(id).toBe('m2');
    expect(f).toMatchObject({
      status: 'pending',
      attempts: 3,
      lastError: '550 mailbox unavailable',
    });
    const wait = f.nextAttemptAt.getTime() - before;
    expect(wait).toBeGreaterThanOrEqual(backoffMs(3));
    expect(wait).toBeLessThan(backoffMs(3) + 1000);
    expect(repo.sent).toEqual([{ ids: ['m1'], token: repo.leases[0].token }]);
    expect(repo.rows[1]).toMatchObject({ status: 'pending', lockedUntil: null });
  });

  it('gives a mail up (failed) at its MAX_ATTEMPTS-th failure', async () => {
    const { repo, outbox, mailer } = setup();
    repo.rows.push(repo.row({ toAddress: 'no@kz.kz', attempts: MAX_ATTEMPTS - 2 }));
    mailer.refuse.add('no@kz.kz');
    await outbox.flush();
    expect(repo.failures.at(-1)!.f).toMatchObject({
      status: 'pending',
      attempts: MAX_ATTEMPTS - 1,
    });
    repo.rows[0].nextAttemptAt = new Date(0);
    await outbox.flush();
    expect(repo.failures.at(-1)!.f).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    repo.rows[0].nextAttemptAt = new Date(0);
    await outbox.flush();
    expect(repo.failures).toHaveLength(2); // a failed mail is never claimed again
  });

  it('keeps only what it delivered when the sender stops mid-batch', async () => {
    const { repo, outbox, mailer } = setup();
    repo.rows.push(repo.row({ toAddress: 'a@kz.kz' }), repo.row({ toAddress: 'b@kz.kz' }));
    jest.spyOn(mailer, 'send').mockImplementationOnce(async () => {
      throw new Error('connection reset');
    });
    await outbox.flush();
    expect(repo.sent).toEqual([{ ids: ['m2'], token: repo.leases[0].token }]);
    expect(repo.rows[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('coalesces concurrent flushes into one pass plus one more', async () => {
    const { repo, outbox } = setup();
    repo.rows.push(repo.row({}));
    await Promise.all([outbox.flush(), outbox.flush(), outbox.flush()]);
    await new Promise((r) => setTimeout(r, 10));
    expect(repo.dueCalls).toBeLessThanOrEqual(3); // pass 1 (two looks), then one more
    expect(repo.sent).toHaveLength(1);
  });
});
