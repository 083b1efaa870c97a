import { randomUUID } from 'node:crypto';

import { In } from 'typeorm';

import { MailOutboxService, PURGE_BATCH } from '../../src/modules/email/mail-outbox.service';
import { OutboxMail, OutboxStatus } from '../../src/modules/email/outbox-mail.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { Actor, makeUser, uniqueEmail } from '../factories/users';

/**
 * Issue 17: admins see the mails the outbox gave up on (GET /admin/mail?status=failed, paginated,
 * never a body) and can send one again; sent mails older than OUTBOX_RETENTION are purged.
 */
const MAIL = '/api/v1/admin/mail';
const DAY = 86_400_000;

describe('admin mail and outbox retention', () => {
  let t: TestApp;
  let admin: Actor;
  const repo = () => t.ds.getRepository(OutboxMail);

  /** Outbox rows as the sender leaves them (status, age), inserted directly. */
  async function rows(n: number, status: OutboxStatus, ageMs: number, kind = 'test') {
    const at = new Date(Date.now() - ageMs);
    const list = Array.from({ length: n }, () => ({
      id: randomUUID(),
      toAddress: uniqueEmail(status),
      subject: `${status} mail`,
      textBody: 'reset link: https://bibarys.kz/reset?token=body-secret-1',
      htmlBody: '<p>body-secret-1</p>',
      kind,
      status,
      attempts: status === 'failed' ? 100 : 1,
      nextAttemptAt: at,
      lastError: status === 'failed' ? 'connect ECONNREFUSED 127.0.0.1:25' : null,
      sentAt: status === 'sent' ? at : null,
      requestId: 'rq-mail-1',
      createdAt: at,
    }));
    for (let i = 0; i < list.length; i += 200) await repo().insert(list.slice(i, i + 200));
    return list.map((r) => r.id);
  }

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_RETENTION: '1d' });
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  it('lists the failed mails, newest first, paginated, without their bodies', async () => {
    const older = await rows(2, 'failed', 3 * DAY);
    const newer = await rows(1, 'failed', 60_000);
    const [sent] = await rows(1, 'sent', 1000);
    const res = await t.http.get(`${MAIL}?status=failed&page_size=2`).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, page: 1, page_size: 2, pages: 2 });
    expect(res.body.items[0].id).toBe(newer[0]);
    expect(older).toContain(res.body.items[1].id);
    expect(res.body.items[0]).toEqual({
      id: newer[0],
      to: expect.stringContaining('@'),
      subject: 'failed mail',
      kind: 'test',
      status: 'failed',
      attempts: 100,
      last_error: 'connect ECONNREFUSED 127.0.0.1:25',
      next_attempt_at: expect.any(String),
      sent_at: null,
      request_id: 'rq-mail-1',
      created_at: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain('body-secret-1');
    const page2 = await t.http.get(`${MAIL}?status=failed&page=2&page_size=2`).set(admin.auth);
    expect(page2.body.items).toHaveLength(1);
    // only failed ones under status=failed; all of them without a status
    const all = await t.http.get(`${MAIL}?page_size=100`).set(admin.auth);
    expect(all.body.total).toBe(4);
    expect(all.body.items[0]).toMatchObject({
      id: sent,
      status: 'sent',
      sent_at: expect.any(String),
    });
  });

  it('refuses a bad status (400 naming the field), and anyone but an admin', async () => {
    const bad = await t.http.get(`${MAIL}?status=lost`).set(admin.auth);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('status');
    const customer = await makeUser(t.http, 'customer');
    expect((await t.http.get(`${MAIL}?status=failed`).set(customer.auth)).status).toBe(403);
    expect((await t.http.get(`${MAIL}?status=failed`)).status).toBe(401);
  });

  it('sends a failed mail again on retry; 409 for a mail that is not failed, 404 for none', async () => {
    const [id] = await rows(1, 'failed', DAY, 'retry');
    const res = await t.http.post(`${MAIL}/${id}/retry`).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'pending', attempts: 0 });
    // the sender (log transport) delivers it
    const end = Date.now() + 5000;
    let row = await repo().findOneByOrFail({ id });
    while (row.status !== 'sent' && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      row = await repo().findOneByOrFail({ id });
    }
    expect(row.status).toBe('sent');
    const again = await t.http.post(`${MAIL}/${id}/retry`).set(admin.auth);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
    expect((await t.http.post(`${MAIL}/${randomUUID()}/retry`).set(admin.auth)).status).toBe(404);
    expect((await t.http.post(`${MAIL}/not-a-uuid/retry`).set(admin.auth)).status).toBe(400);
  });

  it('purges sent mails older than OUTBOX_RETENTION, in batches, and keeps everything else', async () => {
    const oldSent = await rows(PURGE_BATCH + 20, 'sent', 2 * DAY, 'purge'); // more than one batch
    const freshSent = await rows(3, 'sent', DAY / 2, 'purge');
    const oldFailed = await rows(2, 'failed', 30 * DAY, 'purge');
    const oldPending = await rows(2, 'pending', 30 * DAY, 'purge-later');
    await repo().update({ id: In(oldPending) }, { nextAttemptAt: new Date('2100-01-01') });

    const purged = await t.app.get(MailOutboxService).purgeSent();
    expect(purged).toBe(oldSent.length);
    const left = await repo().find({ where: { kind: In(['purge', 'purge-later']) } });
    expect(left.map((r) => r.id).sort()).toEqual(
      [...freshSent, ...oldFailed, ...oldPending].sort(),
    );
    expect(await t.app.get(MailOutboxService).purgeSent()).toBe(0);
  });
});
