import type { Browser, Page } from 'playwright-core';

import { approveShop, goTo, payShop } from './support/admin-steps';
import { checkScreen, launchChromium, signIn, watchErrors } from './support/browser';
import {
  buyerOrdersAndPays,
  buyerReturns,
  newBuyer,
  pngImage,
  tenge,
  VALID_SHOP,
} from './support/market';
import { approveAndReceive, fillShop, fulfil, openMenu } from './support/seller-steps';
import { apiUser, SERVER_ADMIN, startServer } from './support/server';

const SELLER = { email: 'story-seller@example.kz', password: 'seller-password-1' };

/**
 * Issue 19's story in one test: a seller onboards, an admin approves the shop, the seller creates
 * a product with an uploaded image, a buyer orders and pays, the seller fulfils it, a return is
 * decided, the admin runs a payout and marks it paid, the seller sees the balance move. The
 * seller's and the admin's steps go through the dashboard (two browser contexts, each signed in);
 * the buyer's through the API.
 */
describe("issue 19's story (Chromium)", () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    // manual approval: nothing sells before the admin approves; no hold: delivered money is
    // available at once
    [browser, app] = await Promise.all([
      launchChromium(),
      startServer({ SELLER_APPROVAL: 'manual', PAYOUT_HOLD: '0' }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('onboard → approve → product with an image → order → fulfil → return → payout → balance', async () => {
    const { server } = app;
    const sellerToken = await apiUser(server, SELLER.email, SELLER.password, 'seller');
    const buyerToken = await newBuyer(server, 'story-buyer@example.kz');
    const context = await browser.newContext({ acceptDownloads: true });
    const page: Page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, server.url, SELLER.email, SELLER.password);
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin: Page = await adminContext.newPage();
    const adminErrors = watchErrors(admin);
    await signIn(admin, server.url, SERVER_ADMIN.email, SERVER_ADMIN.password);

    // 1. the seller onboards
    await openMenu(page, 'Магазин');
    await fillShop(page, VALID_SHOP);
    await page.getByRole('button', { name: 'Отправить на проверку' }).click();
    await page.getByText('На проверке', { exact: true }).waitFor();
    await checkScreen(page, 'story-1-shop-submitted');

    // 2. the admin approves the shop in the review queue; the seller sees it
    await admin.bringToFront();
    await goTo(admin, server.url, '/admin/sellers?status=pending_review', 'Магазины');
    await admin
      .getByRole('article', { name: VALID_SHOP.name })
      .getByText(VALID_SHOP.iban)
      .waitFor();
    await checkScreen(admin, 'story-2-admin-review-queue');
    await approveShop(admin, server.url, VALID_SHOP.name);
    const shop = await server.request('GET', '/api/v1/seller/shop', { token: sellerToken });
    expect(shop.body.status).toBe('approved');
    await page.bringToFront();
    await openMenu(page, 'Обзор');
    await page.getByText('Одобрен', { exact: true }).waitFor();
    await page.getByText('Магазин одобрен: товары продаются, выплаты доступны.').waitFor();
    await checkScreen(page, 'story-2-home-approved');

    // 3. the seller creates a product with an uploaded image
    await openMenu(page, 'Товары');
    await page.getByRole('link', { name: 'Добавить товар' }).click();
    await page.getByLabel('Название').fill('Домбра детская');
    await page.getByLabel('Цена, ₸').fill('5000');
    await page.getByLabel('В наличии, шт.').fill('4');
    await page.getByLabel('Категория').selectOption('toys');
    await page.getByLabel('Описание').fill('Из ореха, 60 см');
    await page.getByLabel('Загрузить фото').setInputFiles({
      name: 'dombra.png',
      mimeType: 'image/png',
      buffer: pngImage(120, 90),
    });
    const thumb = page.getByRole('img', { name: 'Фото 1' });
    await thumb.waitFor();
    await page.waitForFunction(
      () => (document.querySelector('.thumbs img') as HTMLImageElement | null)?.naturalWidth ?? 0,
    );
    await checkScreen(page, 'story-3-product-image');
    await page.getByRole('button', { name: 'Создать' }).click();
    await page.getByRole('status').filter({ hasText: 'Товар создан' }).waitFor();
    const products = await server.request('GET', '/api/v1/seller/products', { token: sellerToken });
    const product = products.body.items[0];
    expect(product).toMatchObject({ name: 'Домбра детская', price: 5000, quantity: 4 });
    expect(product.image_urls).toHaveLength(1);
    expect(product.image_urls[0]).toMatch(new RegExp(`^${server.url}/media/`));
    const image = await fetch(product.image_urls[0]);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\//);

    // 4. a buyer orders two and pays
    const order = await buyerOrdersAndPays(server, buyerToken, product.id, 2);

    // 5. the seller fulfils it
    await openMenu(page, 'Заказы');
    await fulfil(page, order.tracking_number, 'KZP000000019KZ');
    await checkScreen(page, 'story-5-order-delivered');

    // 6. the buyer returns one; the seller approves and receives it
    const ret = await buyerReturns(server, buyerToken, order.id, order.items[0].id, 1);
    await openMenu(page, 'Возвраты');
    await approveAndReceive(page, 'Домбра детская × 1 — брак');
    await checkScreen(page, 'story-6-return-refunded');
    const refunded = await server.request('GET', `/api/v1/returns/${ret.id}`, {
      token: buyerToken,
    });
    expect(refunded.body).toMatchObject({ status: 'refunded', refund_amount: 5000 });

    // the balance before the payout: sale 11500 (10000 + delivery 1500) − commission 1000
    // − refund 5000 + commission back 500
    await openMenu(page, 'Деньги');
    const stat = (label: string) => page.locator('.stat').filter({ hasText: label });
    await stat('Доступно к выплате').getByText(tenge(6000)).waitFor();
    await stat('Выплачено').getByText(tenge(0)).waitFor();
    await checkScreen(page, 'story-6-money-before-payout');

    // 7. the admin makes a payout batch and marks the seller's payout paid with its bank reference
    await admin.bringToFront();
    await payShop(admin, server.url, VALID_SHOP.name, 'PP-2026-000019');
    const paidRow = admin.getByRole('row').filter({ hasText: VALID_SHOP.name });
    await paidRow.getByText(tenge(6000)).waitFor();
    await paidRow.getByText('Оплачена').waitFor();
    await checkScreen(admin, 'story-7-admin-payout-paid');
    const paidOut = await server.request('GET', '/api/v1/seller/payouts', { token: sellerToken });
    expect(paidOut.body.items).toEqual([
      expect.objectContaining({ amount: 6000, status: 'paid', bank_reference: 'PP-2026-000019' }),
    ]);
    await page.bringToFront();

    // 8. the seller sees the balance move
    await page.reload();
    await stat('Доступно к выплате').getByText(tenge(0)).waitFor();
    await stat('Выплачено').getByText(tenge(6000)).waitFor();
    const payouts = page.getByRole('region', { name: 'Выплаты на счёт' }).first();
    const row = payouts.getByRole('row').filter({ hasText: 'PP-2026-000019' });
    await row.getByText('Выплачена').waitFor();
    await row.getByText(tenge(6000)).waitFor();
    await page
      .getByRole('region', { name: 'Движения по счёту' })
      .first()
      .getByRole('cell', { name: 'Выплата', exact: true })
      .waitFor();
    await checkScreen(page, 'story-8-money-after-payout');
    await openMenu(page, 'Обзор');
    await stat('Выплачено').getByText(tenge(6000)).waitFor();

    expect(errors).toEqual([]);
    expect(adminErrors).toEqual([]);
    await adminContext.close();
    await context.close();
  });
});
