import type { Browser, BrowserContext, Page } from 'playwright-core';

import { confirm, goTo } from './support/admin-steps';
import { checkScreen, launchChromium, signIn, watchErrors } from './support/browser';
import { adminToken, apiCall, apiProduct, newBuyer, tenge } from './support/market';
import { apiUser, SERVER_ADMIN, startServer } from './support/server';

/**
 * The admin's queue of refunds paid by hand (issue 19 on issue 15's routes): a cash-on-delivery
 * order from two sellers, one seller's parcel refunded after delivery, so the buyer is owed that
 * parcel's money in cash. The admin sees it on /admin/refunds, marks it paid (asked once), and
 * the API answers it paid; the other seller's parcel is untouched.
 */
describe('admin: refunds paid by hand (Chromium)', () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startServer>>;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let admin: string;

  const call = (method: string, path: string, token?: string, body?: unknown) =>
    apiCall(app.server, method, path, token, body);

  /** Moves the seller's parcel of the order to delivered (a cash order is confirmed by its seller). */
  const deliver = async (sellerToken: string, orderId: string) => {
    for (const status of ['confirmed', 'processing', 'shipped', 'delivered']) {
      await call('PUT', `/orders/${orderId}/status`, sellerToken, {
        status,
        tracking_number: status === 'shipped' ? 'KZP000000015KZ' : undefined,
      });
    }
  };

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchChromium(), startServer({ PAYOUT_HOLD: '0' })]);
    admin = await adminToken(app.server);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
    await signIn(page, app.server.url, SERVER_ADMIN.email, SERVER_ADMIN.password);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('lists a cancelled parcel’s cash refund, marks it paid, and the API answers it paid', async () => {
    const [s1, s2] = await Promise.all([
      apiUser(app.server, 'refund-s1@example.kz', 'seller-password-1', 'seller'),
      apiUser(app.server, 'refund-s2@example.kz', 'seller-password-1', 'seller'),
    ]);
    const buyer = await newBuyer(app.server, 'refund-buyer@example.kz');
    const a = await apiProduct(app.server, s1, { name: 'Шапан', price: 1000, quantity: 5 });
    const b = await apiProduct(app.server, s2, { name: 'Кесе', price: 3000, quantity: 5 });
    await call('POST', '/cart/items', buyer, { product_id: a.id, quantity: 2 });
    await call('POST', '/cart/items', buyer, { product_id: b.id, quantity: 1 });
    const order = await call('POST', '/orders', buyer, {
      delivery_method: 'standard',
      delivery_address: 'г. Астана, ул. Кенесары, 40',
      phone: '+77015550199',
    });
    await call('POST', '/payments', buyer, {
      order_id: order.id,
      payment_method: 'cash_on_delivery',
    });
    await deliver(s1, order.id);
    await deliver(s2, order.id);
    // s1's parcel comes back after delivery: the buyer paid it in cash, so it is owed by hand
    await call('PUT', `/orders/${order.id}/status`, s1, { status: 'refunded' });
    const queued = await call('GET', '/admin/refunds?status=pending&method=manual', admin);
    expect(queued.items).toEqual([
      expect.objectContaining({ order_id: order.id, kind: 'parcel', status: 'pending' }),
    ]);
    const refund = queued.items[0];
    expect(refund.amount).toBe(3500); // the parcel: 2 × 1 000 ₸ and its standard delivery 1 500 ₸

    // the home's queue counts it and leads to the screen
    await goTo(page, app.server.url, '/admin', 'Платформа');
    const link = page.getByRole('link', { name: /Возвраты денег ждут выплаты/ });
    await link.getByText('1', { exact: true }).waitFor();
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Возвраты денег вручную' }).waitFor();
    await page.waitForURL(/#\/admin\/refunds\?status=pending/);

    const ref = order.id.slice(0, 8);
    const row = page.getByRole('row').filter({ hasText: ref });
    await row.getByText('Отмена посылки').waitFor();
    await row.getByText(tenge(refund.amount)).waitFor();
    await row.getByText('Ждёт выплаты').waitFor();
    await checkScreen(page, 'admin-refunds');

    // asked once: the first click only asks
    await row.getByRole('button', { name: 'Деньги выплачены', exact: true }).click();
    await row.getByRole('button', { name: 'Отмена' }).click();
    expect((await call('GET', `/admin/refunds?status=pending&method=manual`, admin)).total).toBe(1);
    await confirm(row, 'Деньги выплачены');
    await page
      .getByRole('status')
      .filter({ hasText: `Возврат ${tenge(refund.amount)} по заказу ${ref} отмечен выплаченным` })
      .waitFor();
    await row.waitFor({ state: 'detached' }); // the list reloaded: nothing left to pay
    await page.getByText('Пока ничего нет').waitFor();

    const paid = await call('GET', '/admin/refunds?status=completed&method=manual', admin);
    expect(paid.items).toEqual([
      expect.objectContaining({ id: refund.id, status: 'completed', amount: refund.amount }),
    ]);
    expect((await call('GET', `/orders/${order.id}`, buyer)).payment_status).toBe(
      'partially_refunded',
    );

    // the paid one under its filter
    await page.getByLabel('Статус возврата денег').selectOption({ label: 'Выплачен' });
    await page.waitForURL(/status=completed/);
    const done = page.getByRole('row').filter({ hasText: ref });
    await done.getByText('Выплачен', { exact: true }).waitFor();
    expect(await done.getByRole('button').count()).toBe(0);
    await checkScreen(page, 'admin-refunds-paid');
    expect(errors).toEqual([]);
  });

  it('fits a 360 px phone', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const p = await phone.newPage();
    await signIn(p, app.server.url, SERVER_ADMIN.email, SERVER_ADMIN.password);
    await goTo(p, app.server.url, '/admin/refunds?status=completed', 'Возвраты денег вручную');
    await p.getByRole('row').filter({ hasText: 'Выплачен' }).first().waitFor();
    await checkScreen(p, 'phone-admin-refunds');
    await phone.close();
  });
});
