import { readFileSync } from 'node:fs';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { confirm, goTo, withReason } from './support/admin-steps';
import { checkScreen, launchChromium, signIn, watchErrors } from './support/browser';
import { apiCall } from './support/market';
import { apiUser, SERVER_ADMIN, startServer } from './support/server';

/** Bank details that pass the shops module's checks (Kaspi Bank's BIN, the registry's KZ IBAN). */
const BANK = { bin_iin: '971240001315', iban: 'KZ86125KZT5004100100', bik: 'CASPKZKA', kbe: '17' };

/**
 * The admin's screens in Chromium, every action through the UI (the data it acts on set up
 * through the API): the shop review queue, commission rules, users, payouts with the bank
 * register, and the platform home, mails and returns, at desktop width and on a 360 px phone.
 */
describe('admin dashboard (Chromium)', () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startServer>>;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let adminToken: string;

  const call = (method: string, path: string, token?: string, body?: unknown) =>
    apiCall(app.server, method, path, token, body);

  /** A seller with a complete shop sent for review: its id and token. */
  const sellerWithShop = async (email: string, name: string) => {
    const token = await apiUser(app.server, email, 'seller-password-1', 'seller');
    const me = await call('GET', '/auth/me', token);
    await call('PUT', '/seller/shop', token, { name, legal_form: 'too', ...BANK });
    await call('POST', '/seller/shop/submit', token);
    return { id: me.id as string, token, name };
  };

  /** A buyer's paid order of one product of the seller, delivered (money available at once). */
  const deliveredSale = async (
    seller: { token: string },
    buyerToken: string,
    price: number,
    method: 'card' | 'cash_on_delivery' = 'card',
  ) => {
    const product = await call('POST', '/products', seller.token, {
      name: `Казан ${price}`,
      description: 'Казан чугунный для плова',
      price,
      quantity: 5,
      category: 'home',
    });
    await call('POST', '/cart/items', buyerToken, { product_id: product.id, quantity: 1 });
    const order = await call('POST', '/orders', buyerToken, {
      delivery_method: 'standard',
      delivery_address: 'г. Алматы, ул. Абая, 150',
      phone: '+77015550123',
    });
    await call('POST', '/payments', buyerToken, { order_id: order.id, payment_method: method });
    // a paid card order is confirmed by its payment; a cash one by its seller
    const moves = ['processing', 'shipped', 'delivered'];
    for (const status of method === 'card' ? moves : ['confirmed', ...moves]) {
      await call('PUT', `/orders/${order.id}/status`, seller.token, {
        status,
        tracking_number: status === 'shipped' ? `KZP9${order.id.slice(0, 6)}` : undefined,
      });
    }
    return call('GET', `/orders/${order.id}`, buyerToken);
  };

  const go = (hash: string, heading: string) => goTo(page, app.server.url, hash, heading);

  beforeAll(async () => {
    [browser, app] = await Promise.all([
      launchChromium(),
      startServer({
        PAYOUT_HOLD: '0',
        RATE_LIMIT_LOGIN_ACCOUNT: '1000/15m',
        RATE_LIMIT_LOGIN_CLIENT: '1000/15m',
      }),
    ]);
    adminToken = (
      await call('POST', '/auth/login', undefined, {
        email: SERVER_ADMIN.email,
        password: SERVER_ADMIN.password,
      })
    ).access_token;
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
  afterEach(() => {
    // refusals the screens show (400 on a form, 409) are logged by Chromium as failed loads
    expect(errors.filter((e) => !/status of (400|409)/.test(e))).toEqual([]);
  });

  let approved: { id: string; token: string; name: string };

  it('approves a submitted shop and rejects another, the reason required', async () => {
    approved = await sellerWithShop('shop-a@example.kz', 'Дала Тойс');
    const rejected = await sellerWithShop('shop-b@example.kz', 'Степной Ветер');
    await go('/admin/sellers', 'Магазины');
    const a = page.getByRole('article', { name: 'Дала Тойс' });
    const b = page.getByRole('article', { name: 'Степной Ветер' });
    await a.getByText('KZ86125KZT5004100100').waitFor();
    await a.getByText('971240001315').waitFor();
    await checkScreen(page, 'admin-sellers');

    await a.getByRole('button', { name: 'Одобрить' }).click();
    await page.getByRole('status').filter({ hasText: 'Магазин «Дала Тойс» одобрен' }).waitFor();
    await a.waitFor({ state: 'detached' }); // it left the review queue

    await b.getByRole('button', { name: 'Отклонить' }).click();
    const reason = b.getByLabel('Причина отказа');
    // no reason: the server refuses it and the field says so
    await confirm(b, 'Отклонить');
    await page.waitForFunction(
      () => document.querySelector('[aria-invalid="true"]') !== null,
      undefined,
      { timeout: 10_000 },
    );
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('IBAN не принадлежит продавцу');
    await confirm(b, 'Отклонить');
    await page
      .getByRole('status')
      .filter({ hasText: 'Магазин «Степной Ветер» отклонён' })
      .waitFor();

    const shops = await call('GET', '/admin/sellers?page_size=100', adminToken);
    const byName = Object.fromEntries(shops.items.map((s: any) => [s.name, s]));
    expect(byName['Дала Тойс'].status).toBe('approved');
    expect(byName['Степной Ветер']).toMatchObject({
      status: 'rejected',
      status_reason: 'IBAN не принадлежит продавцу',
      seller_id: rejected.id,
    });

    // the rejected shop, with its reason, under its filter
    await page.getByLabel('Статус магазина').selectOption({ label: 'Отклонён' });
    await page
      .getByRole('article', { name: 'Степной Ветер' })
      .getByText('IBAN не принадлежит продавцу')
      .waitFor();

    // an approved shop is suspended with a reason, then reinstated
    await page.getByLabel('Статус магазина').selectOption({ label: 'Одобрен' });
    await withReason(a, 'Приостановить', 'Причина приостановки', 'Жалобы покупателей');
    await page
      .getByRole('status')
      .filter({ hasText: 'Магазин «Дала Тойс» приостановлен' })
      .waitFor();
    await page.getByLabel('Статус магазина').selectOption({ label: 'Приостановлен' });
    await a.getByText('Жалобы покупателей').waitFor();
    await a.getByRole('button', { name: 'Возобновить' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Магазин «Дала Тойс» снова работает' })
      .waitFor();
    const again = await call('GET', '/admin/sellers?status=approved', adminToken);
    expect(again.items.map((x: any) => x.name)).toEqual(['Дала Тойс']);
  });

  it('refuses a commission rule with a rate above 100 and one with min above max, then creates a valid one', async () => {
    await go('/admin/commission-rules', 'Комиссии');
    await page.getByRole('cell', { name: 'Все продажи', exact: true }).waitFor();
    const form = page.getByRole('region', { name: 'Новое правило' });
    await form.getByLabel('Категория').selectOption({ label: 'Книги' });
    const rate = form.getByLabel('Ставка, %');
    const min = form.getByLabel('Минимум, ₸ за строку');
    const max = form.getByLabel('Максимум, ₸ за строку');
    await rate.fill('150');
    await form.getByRole('button', { name: 'Создать' }).click();
    await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]') !== null);
    expect(await rate.getAttribute('aria-invalid')).toBe('true');

    await rate.fill('5');
    await min.fill('500');
    await max.fill('100');
    await form.getByRole('button', { name: 'Создать' }).click();
    await form.getByText('Минимум не может быть больше максимума').waitFor();
    expect(await min.getAttribute('aria-invalid')).toBe('true');
    expect(await rate.getAttribute('aria-invalid')).toBeNull();
    await checkScreen(page, 'admin-commission-refused');

    await max.fill('1000');
    await form.getByRole('button', { name: 'Создать' }).click();
    await page.getByRole('status').filter({ hasText: 'Правило создано' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Категория: Книги' });
    await row.getByText('5 %').waitFor();
    const rules = await call('GET', '/admin/commission-rules', adminToken);
    expect(rules.filter((r: any) => r.scope === 'category')).toEqual([
      expect.objectContaining({ category: 'books', rate_percent: 5, min_fee: 500, max_fee: 1000 }),
    ]);
    await checkScreen(page, 'admin-commission');

    // edited: the form takes the rule's figures; then deleted, asked once
    await row.getByRole('button', { name: 'Изменить: Категория: Книги' }).click();
    const edit = page.getByRole('region', { name: 'Изменить правило: Категория: Книги' });
    expect(await edit.getByLabel('Минимум, ₸ за строку').inputValue()).toBe('500');
    await edit.getByLabel('Ставка, %').fill('6,5');
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('status').filter({ hasText: 'Правило сохранено' }).waitFor();
    await row.getByText('6.5 %').waitFor();
    await confirm(row, 'Удалить');
    await page.getByRole('status').filter({ hasText: 'Правило удалено' }).waitFor();
    await row.waitFor({ state: 'detached' });
    const left = await call('GET', '/admin/commission-rules', adminToken);
    expect(left.map((r: any) => r.scope)).toEqual(['global']);
  });

  it('finds a user and blocks them (asked once); their token stops working', async () => {
    const token = await apiUser(app.server, 'block-me@example.kz', 'buyer-password-1');
    await go('/admin/users', 'Пользователи');
    await page.getByLabel('Почта или имя').fill('block-me');
    await page.getByRole('button', { name: 'Поиск' }).click();
    await page.waitForURL(/search=block-me/);
    const row = page.getByRole('row').filter({ hasText: 'block-me@example.kz' });
    await row.getByText('Активен').waitFor();
    // the search's answer replaces the whole list: only the one found is left
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await checkScreen(page, 'admin-users');
    await confirm(row, 'Заблокировать');
    await page
      .getByRole('status')
      .filter({ hasText: 'block-me@example.kz заблокирован' })
      .waitFor();
    await row.getByText('Заблокирован', { exact: true }).waitFor();
    const me = await app.server.request('GET', '/api/v1/auth/me', { token });
    expect(me.status).toBe(401);

    // another user made a seller
    await apiUser(app.server, 'make-seller@example.kz', 'buyer-password-1');
    await page.getByLabel('Почта или имя').fill('make-seller');
    await page.getByRole('button', { name: 'Поиск' }).click();
    const other = page.getByRole('row').filter({ hasText: 'make-seller@example.kz' });
    await other.getByLabel('Роль make-seller@example.kz').selectOption({ label: 'Продавец' });
    await confirm(other, 'Сменить роль');
    await page
      .getByRole('status')
      .filter({ hasText: 'make-seller@example.kz: роль «Продавец»' })
      .waitFor();
    const found = await call('GET', '/admin/users?search=make-seller', adminToken);
    expect(found.items[0].role).toBe('seller');
  });

  it('makes a payout batch, downloads its bank register, marks one paid and one failed', async () => {
    const other = await sellerWithShop('shop-c@example.kz', 'Алатау Маркет');
    await call('PUT', `/admin/sellers/${other.id}/approve`, adminToken);
    const buyer = await apiUser(app.server, 'buyer-pay@example.kz', 'buyer-password-1');
    await deliveredSale(approved, buyer, 12_500);
    await deliveredSale(other, buyer, 8_000);
    const available = async (token: string) =>
      Number((await call('GET', '/seller/balance', token)).available);
    const [owedA, owedC] = [await available(approved.token), await available(other.token)];
    expect(owedA).toBeGreaterThan(0);
    expect(owedC).toBeGreaterThan(0);

    await go('/admin/payouts', 'Выплаты');
    await page.getByLabel('Минимальная сумма, ₸').fill('1');
    await page.getByRole('button', { name: 'Сформировать выплаты' }).click();
    await page.getByText('Пачка сформирована: выплат 2').waitFor();
    await page.waitForURL(/batch=/);
    const rowA = page.getByRole('row').filter({ hasText: 'Дала Тойс' });
    const rowC = page.getByRole('row').filter({ hasText: 'Алатау Маркет' });
    await rowA.getByText('Ждёт оплаты').waitFor();
    await rowC.getByText('Ждёт оплаты').waitFor();
    await checkScreen(page, 'admin-payouts');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Реестр для банка' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^payouts-[0-9a-f]{8}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(3); // header + two payouts
    const lineA = lines.find((l) => l.includes('Дала Тойс'))!;
    const lineC = lines.find((l) => l.includes('Алатау Маркет'))!;
    expect(lineA).toContain(BANK.iban);
    expect(lineA).toContain(owedA.toFixed(2));
    expect(lineC).toContain(owedC.toFixed(2));

    await withReason(rowA, 'Отметить оплату', 'Номер платёжки', 'PP-2026-118342');
    await page
      .getByRole('status')
      .filter({ hasText: 'Выплата «Дала Тойс» отмечена оплаченной' })
      .waitFor();
    await rowA.getByText('Платёжка PP-2026-118342').waitFor();

    await withReason(rowC, 'Отметить сбой', 'Причина', 'Счёт закрыт банком получателя');
    await page
      .getByRole('status')
      .filter({ hasText: 'Выплата «Алатау Маркет» отмечена непрошедшей' })
      .waitFor();
    await rowC.getByText('Счёт закрыт банком получателя').waitFor();

    const payouts = await call('GET', '/admin/payouts?page_size=100', adminToken);
    const byShop = Object.fromEntries(payouts.items.map((p: any) => [p.shop_name, p]));
    expect(byShop['Дала Тойс']).toMatchObject({
      status: 'paid',
      bank_reference: 'PP-2026-118342',
      amount: owedA,
    });
    expect(byShop['Алатау Маркет']).toMatchObject({
      status: 'failed',
      failure_reason: 'Счёт закрыт банком получателя',
    });
    // the failed payout's money is back on the seller's balance, the paid one's is gone
    expect(await available(other.token)).toBe(owedC);
    expect(await available(approved.token)).toBe(0);

    await page.getByLabel('Статус выплаты').selectOption({ label: 'Оплачена' });
    await page.waitForURL(/status=paid/);
    await rowC.waitFor({ state: 'detached' });
    await rowA.waitFor();
  });

  it('decides returns: approves one and rejects another, marks a cash refund paid by hand', async () => {
    const buyer = await apiUser(app.server, 'buyer-return@example.kz', 'buyer-password-1');
    const back = async (price: number) => {
      const order = await deliveredSale(approved, buyer, price, 'cash_on_delivery');
      return call('POST', '/returns', buyer, {
        order_id: order.id,
        items: [{ order_item_id: order.items[0].id, quantity: 1, reason: 'defective' }],
      });
    };
    const kept = await back(3_000);
    const refused = await back(4_000);
    await go('/admin/returns?status=requested', 'Возвраты');
    const cardOf = (r: { order_id: string }) =>
      page.getByRole('article', { name: `Заказ ${r.order_id.slice(0, 8)}` });
    await cardOf(kept).getByText('Казан 3000 × 1 (брак)').waitFor();
    await checkScreen(page, 'admin-returns-requested');

    await withReason(cardOf(refused), 'Отказать', 'Причина отказа', 'Следы использования');
    await page.getByRole('status').filter({ hasText: 'В возврате отказано' }).waitFor();

    await confirm(cardOf(kept), 'Одобрить возврат');
    await page.getByRole('status').filter({ hasText: 'Возврат одобрен' }).waitFor();
    expect(await call('GET', `/returns/${refused.id}`, adminToken)).toMatchObject({
      status: 'rejected',
      decision_note: 'Следы использования',
    });

    // the seller receives the goods back: cash on delivery, so the admin pays the buyer by hand
    await call('PUT', `/returns/${kept.id}/receive`, approved.token);
    await go('/admin/returns?status=received', 'Возвраты');
    await cardOf(kept).getByText('Выплатить вручную').waitFor();
    await confirm(cardOf(kept), 'Деньги выплачены вручную');
    await page
      .getByRole('status')
      .filter({ hasText: 'Возврат денег отмечен выплаченным' })
      .waitFor();
    expect(await call('GET', `/returns/${kept.id}`, adminToken)).toMatchObject({
      status: 'refunded',
      refund_status: 'completed',
    });
  });

  it('shows the platform home with its queues, figures and sales chart; mails and returns', async () => {
    await go('/admin', 'Платформа');
    const queue = page.getByRole('link', { name: /Выплаты ждут оплаты/ });
    await queue.waitFor();
    await page.getByText('Оборот (GMV)').waitFor();
    await page.locator('.chart canvas').waitFor();
    await page.getByRole('cell', { name: 'Казан 12500' }).waitFor();
    await checkScreen(page, 'admin-home');
    await page.getByRole('link', { name: /Магазины ждут проверки/ }).click();
    await page.waitForURL(/#\/admin\/sellers\?status=pending_review/);
    await page.getByRole('heading', { level: 1, name: 'Магазины' }).waitFor();

    await go('/admin/mail', 'Письма');
    expect(await page.getByLabel('Статус письма').inputValue()).toBe('failed');
    await checkScreen(page, 'admin-mail');
    await go('/admin/returns', 'Возвраты');
    expect(await page.getByLabel('Статус возврата').inputValue()).toBe('escalated');
    await checkScreen(page, 'admin-returns');
  });

  it('fits a 360 px phone', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const p = await phone.newPage();
    await signIn(p, app.server.url, SERVER_ADMIN.email, SERVER_ADMIN.password);
    for (const [hash, heading, name] of [
      ['/admin', 'Платформа', 'phone-admin-home'],
      ['/admin/sellers?status=approved', 'Магазины', 'phone-admin-sellers'],
      ['/admin/payouts', 'Выплаты', 'phone-admin-payouts'],
      ['/admin/commission-rules', 'Комиссии', 'phone-admin-commission'],
      ['/admin/users', 'Пользователи', 'phone-admin-users'],
    ]) {
      await p.goto(`${app.server.url}/dashboard/#${hash}`);
      await p.getByRole('heading', { level: 1, name: heading }).waitFor();
      await p.getByRole('status').filter({ hasText: 'Загрузка' }).waitFor({ state: 'detached' });
      await checkScreen(p, name);
    }
    await phone.close();
  });
});
