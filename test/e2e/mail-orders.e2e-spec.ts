import { MailOutboxService } from '../../src/modules/email/mail-outbox.service';
import { OutboxMail } from '../../src/modules/email/outbox-mail.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { checkout } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';

const smtpEnv = (port: number) => ({
  EMAIL_TRANSPORT: 'smtp',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(port),
});

const about = (to: string, text: string) => (m: ReceivedMail) =>
  m.to.includes(to) && m.raw.includes(text);

describe('order mails over real SMTP (e2e)', () => {
  describe('with the mail server up', () => {
    const sink = new SmtpSink();
    let t: TestApp;
    let buyer: Actor;
    let seller: Actor;

    beforeAll(async () => {
      t = await createTestApp(smtpEnv(await sink.start()));
      buyer = await makeUser(t.http, 'customer', { first_name: 'Айгерим' });
      seller = await makeUser(t.http, 'seller');
    });
    afterAll(async () => {
      await t.close();
      await sink.stop();
    });

    it('a checkout sends the confirmation in Russian to the buyer, with lines, totals and delivery', async () => {
      const p = await insertProduct(t.ds, seller.id, { name: 'Шубат 1 л', price: 1250.5 });
      const o = await checkout(t.http, buyer, [{ product: p, quantity: 2 }], {
        delivery_method: 'express',
        delivery_address: 'г. Астана, ул. Кенесары 40',
      });
      const mails = await sink.waitFor((m) => m.some(about(buyer.email, o.tracking_number)));
      const mail = mails.find(about(buyer.email, o.tracking_number))!;
      expect(mail.to).toEqual([buyer.email]);
      expect(mail.raw).toContain(`Заказ ${o.tracking_number} оформлен`);
      expect(mail.raw).toContain('Айгерим');
      expect(mail.raw).toContain('Шубат 1 л');
      expect(mail.raw).toMatch(/Итого: 5\s501 ₸/); // 2 × 1250,50 + 3000
      expect(mail.raw).toContain('экспресс');
      expect(mail.raw).toContain('г. Астана, ул. Кенесары 40');
      // nobody else got it
      expect(
        sink.mails.filter((m) => m.raw.includes(`Заказ ${o.tracking_number} оформлен`)),
      ).toHaveLength(1);
    });

    it('each status change mails the buyer; shipped carries the tracking number', async () => {
      const p = await insertProduct(t.ds, seller.id);
      const o = await checkout(t.http, buyer, [p]);
      const move = (status: string, extra: Record<string, unknown> = {}) =>
        t.http
          .put(`/api/v1/orders/${o.id}/status`)
          .set(seller.auth)
          .send({ status, ...extra });
      expect((await move('confirmed')).status).toBe(200);
      await sink.waitFor((m) =>
        m.some(about(buyer.email, `Заказ ${o.tracking_number}: подтверждён`)),
      );
      await move('processing');
      expect((await move('shipped', { tracking_number: 'KZP987654321KZ' })).status).toBe(200);
      const mails = await sink.waitFor((m) =>
        m.some(about(buyer.email, `Заказ ${o.tracking_number}: отправлен`)),
      );
      const shipped = mails.find(about(buyer.email, `Заказ ${o.tracking_number}: отправлен`))!;
      expect(shipped.raw).toContain('Трек-номер посылки: KZP987654321KZ');
      expect(shipped.raw).toContain('Айгерим');
      expect(
        mails.filter((m) => m.raw.includes(`Заказ ${o.tracking_number}: собирается`)),
      ).toHaveLength(1);
    });

    it('a cancel mails the buyer too', async () => {
      const p = await insertProduct(t.ds, seller.id);
      const o = await checkout(t.http, buyer, [p]);
      expect((await t.http.put(`/api/v1/orders/${o.id}/cancel`).set(buyer.auth)).status).toBe(200);
      await sink.waitFor((m) => m.some(about(buyer.email, `Заказ ${o.tracking_number}: отменён`)));
    });
  });

  it('with the mail server down the order still succeeds, and the mail arrives once it is back', async () => {
    const probe = new SmtpSink();
    const port = await probe.start();
    await probe.stop(); // nobody listens on this port now
    const t = await createTestApp(smtpEnv(port));
    const sink = new SmtpSink(port);
    try {
      const buyer = await makeUser(t.http, 'customer');
      const seller = await makeUser(t.http, 'seller');
      const p = await insertProduct(t.ds, seller.id, { name: 'Кошма' });
      const o = await checkout(t.http, buyer, [p]); // throws unless 201
      expect(o.status).toBe('pending');
      const repo = t.ds.getRepository(OutboxMail);
      const subject = `Заказ ${o.tracking_number} оформлен`;
      let row = await repo.findOneByOrFail({ toAddress: buyer.email, kind: 'order_confirmation' });
      expect(row.subject).toBe(subject);
      for (let i = 0; i < 200 && row.attempts === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        row = await repo.findOneByOrFail({ id: row.id });
      }
      expect(row.status).toBe('pending');
      expect(row.attempts).toBeGreaterThan(0);
      expect(row.lastError).toBeTruthy();
      await sink.start();
      await repo.update({ id: row.id }, { nextAttemptAt: new Date() }); // skip the backoff wait
      await t.app.get(MailOutboxService).flush();
      const mails = await sink.waitFor((m) => m.some(about(buyer.email, subject)));
      expect(mails.find(about(buyer.email, subject))!.raw).toContain('Кошма');
      expect((await repo.findOneByOrFail({ id: row.id })).status).toBe('sent');
    } finally {
      await t.close();
      await sink.stop();
    }
  });
});
