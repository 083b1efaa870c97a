import { readFileSync } from 'node:fs';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { checkScreen, launchChromium, signIn, watchErrors } from './support/browser';
import {
  adminApproves,
  apiProduct,
  buyerOrdersAndPays,
  buyerReturns,
  fieldError,
  newBuyer,
  pngImage,
  tenge,
  userId,
  VALID_SHOP,
} from './support/market';
import { approveAndReceive, fillShop, fulfil, openMenu } from './support/seller-steps';
import { apiUser, startServer } from './support/server';

const SELLER = { email: 'seller-ui@example.kz', password: 'seller-password-1' };

/**
 * The seller's screens in Chromium, one seller's day in order: onboarding with field errors, then
 * products, an order to fulfil, returns to decide, and the money it all made.
 */
describe('seller dashboard (Chromium)', () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startServer>>;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let sellerToken: string;
  let buyerToken: string;
  let order: Awaited<ReturnType<typeof buyerOrdersAndPays>>;

  beforeAll(async () => {
    // sales become available at delivery, so the balance moves within the test
    [browser, app] = await Promise.all([launchChromium(), startServer({ PAYOUT_HOLD: '0' })]);
    sellerToken = await apiUser(app.server, SELLER.email, SELLER.password, 'seller');
    buyerToken = await newBuyer(app.server, 'buyer-ui@example.kz');
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    errors = watchErrors(page);
    await signIn(page, app.server.url, SELLER.email, SELLER.password);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });
  afterEach(() => {
    // the refused saves and uploads answer 400 / 413 (the browser logs them); nothing else may fail
    expect(errors.filter((e) => !/status of (400|413)/.test(e))).toEqual([]);
  });

  it('onboards the shop: BIN and IBAN errors on their fields, then a valid submit for review', async () => {
    await page
      .getByRole('navigation', { name: 'Меню' })
      .getByRole('link', { name: 'Магазин' })
      .click();
    await page.getByRole('heading', { name: /Статус магазина/ }).waitFor();
    await page.getByText('Черновик').waitFor();
    await checkScreen(page, 'seller-shop-draft');

    await fillShop(page, {
      ...VALID_SHOP,
      bin_iin: '971240001316', // the check digit is 5
      iban: 'KZ87125KZT5004100100', // mod 97 fails
    });
    await page.getByRole('button', { name: 'Сохранить' }).click();
    expect(await fieldError(page, 'БИН/ИИН')).toBe(
      'Неверный БИН/ИИН: не сходится контрольная цифра',
    );
    expect(await fieldError(page, 'IBAN (счёт)')).toBe(
      'Неверный IBAN: проверьте номер счёта (KZ и 18 знаков)',
    );
    // the fields the server accepted carry no error
    expect(await page.getByLabel('БИК банка').getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('alert').filter({ hasText: 'Проверьте отмеченные поля' }).waitFor();
    await checkScreen(page, 'seller-shop-errors');
    // nothing was saved
    const before = await app.server.request('GET', '/api/v1/seller/shop', { token: sellerToken });
    expect(before.body).toMatchObject({ status: 'draft', bin_iin: null, iban: null });

    await page.getByLabel('БИН/ИИН').fill(VALID_SHOP.bin_iin);
    await page.getByLabel('IBAN (счёт)').fill(VALID_SHOP.iban);
    await page.getByLabel('Телефон поддержки').fill('87011234567');
    await page.getByRole('button', { name: 'Отправить на проверку' }).click();
    await page.getByRole('status').filter({ hasText: 'Магазин отправлен на проверку' }).waitFor();
    await page.getByText('На проверке', { exact: true }).waitFor();
    expect(await page.getByLabel('БИН/ИИН').getAttribute('aria-invalid')).toBeNull();
    await checkScreen(page, 'seller-shop-pending');
    const after = await app.server.request('GET', '/api/v1/seller/shop', { token: sellerToken });
    expect(after.body).toMatchObject({
      status: 'pending_review',
      bin_iin: VALID_SHOP.bin_iin,
      iban: VALID_SHOP.iban,
      support_phone: '+77011234567',
    });
  });

  it('creates a product (a refused price on its field first), edits its stock, deactivates it', async () => {
    await page
      .getByRole('navigation', { name: 'Меню' })
      .getByRole('link', { name: 'Товары' })
      .click();
    await page.getByRole('heading', { name: 'Товары', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Добавить товар' }).click();
    await page.getByRole('heading', { name: 'Новый товар' }).waitFor();
    await page.getByLabel('Название').fill('Деревянная лошадка');
    await page.getByLabel('Цена, ₸').fill('0');
    await page.getByLabel('В наличии, шт.').fill('7');
    await page.getByLabel('Категория').selectOption('toys');
    await page.getByLabel('Описание').fill('Из берёзы, ручная работа');
    // images: a text file named .jpg and a file over 5 MB are refused on the upload field
    const upload = page.getByLabel('Загрузить фото');
    await upload.setInputFiles({
      name: 'photo.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('not an image at all'),
    });
    expect(await fieldError(page, 'Загрузить фото')).toBe(
      'Это не изображение: нужен JPEG, PNG или WebP',
    );
    await upload.setInputFiles({
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: Buffer.concat([pngImage(), Buffer.alloc(5 * 1024 * 1024 + 1)]),
    });
    await page.getByText('Файл больше 5 МБ').waitFor();
    await upload.setInputFiles({ name: 'horse.png', mimeType: 'image/png', buffer: pngImage() });
    await page.getByRole('img', { name: 'Фото 1' }).waitFor();
    expect(await page.getByLabel('Загрузить фото').getAttribute('aria-invalid')).toBeNull();
    const imageUrl = await page.getByLabel('Адреса фотографий').inputValue();
    expect(imageUrl).toMatch(new RegExp(`^${app.server.url}/media/\\S+$`));

    await page.getByRole('button', { name: 'Создать' }).click();
    expect(await fieldError(page, 'Цена, ₸')).not.toBe('');
    await checkScreen(page, 'seller-product-new-errors');

    await page.getByLabel('Цена, ₸').fill('12 500,50');
    await page.getByRole('button', { name: 'Создать' }).click();
    await page.getByRole('status').filter({ hasText: 'Товар создан' }).waitFor();
    await page.getByRole('heading', { name: 'Деревянная лошадка', level: 1 }).waitFor();
    const listed = await app.server.request('GET', '/api/v1/seller/products', {
      token: sellerToken,
    });
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        image_urls: [imageUrl],
        name: 'Деревянная лошадка',
        price: 12500.5,
        quantity: 7,
        category: 'toys',
      }),
    ]);
    // the initial stock is the first movement
    const stock = page.getByRole('region', { name: 'Остаток и движения' }).first();
    await stock.getByText('Начальный остаток').waitFor();

    await page.getByLabel('В наличии, шт.').fill('10');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('status').filter({ hasText: 'Товар сохранён' }).waitFor();
    await stock.getByRole('cell', { name: 'Корректировка' }).waitFor();
    await stock.getByRole('cell', { name: '+3' }).waitFor();
    await checkScreen(page, 'seller-product-edit');

    await page.getByRole('link', { name: 'Назад' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Деревянная лошадка' });
    await row.getByText('В продаже').waitFor();
    await checkScreen(page, 'seller-products');
    await row.getByRole('button', { name: 'Снять с продажи' }).click();
    // asks once before it acts
    await page.getByText('Точно? Это действие нельзя отменить.').waitFor();
    const id = listed.body.items[0].id as string;
    expect(
      (await app.server.request('GET', `/api/v1/products/${id}`, { token: sellerToken })).body
        .is_active,
    ).toBe(true);
    await row.getByRole('button', { name: 'Подтвердить: Снять с продажи' }).click();
    await row.getByText('Снят с продажи').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'Товар «Деревянная лошадка» снят с продажи' })
      .waitFor();
    expect(
      (await app.server.request('GET', `/api/v1/products/${id}`, { token: sellerToken })).body
        .is_active,
    ).toBe(false);
  });

  it('fulfils a paid order step by step and ships it with a tracking number', async () => {
    const product = await apiProduct(app.server, sellerToken, {
      name: 'Юла',
      price: 3000,
      quantity: 5,
    });
    order = await buyerOrdersAndPays(app.server, buyerToken, product.id, 2);
    await page
      .getByRole('navigation', { name: 'Меню' })
      .getByRole('link', { name: 'Заказы' })
      .click();
    const card = page.getByRole('article', { name: `Заказ ${order.tracking_number}` });
    await card.getByText('Подтверждён').waitFor();
    await card.getByText('Юла × 2').waitFor();
    await card.getByText(`Ваша часть: ${tenge(6000 + 1500)}`).waitFor();
    await checkScreen(page, 'seller-orders');

    await fulfil(page, order.tracking_number, 'KZP123456789KZ');
    // a delivered parcel can no longer be cancelled here
    expect(await card.getByRole('button', { name: 'Отменить заказ' }).count()).toBe(0);
    const seen = await app.server.request('GET', `/api/v1/orders/${order.id}`, {
      token: buyerToken,
    });
    expect(seen.body.fulfillments).toEqual([
      expect.objectContaining({ status: 'delivered', tracking_number: 'KZP123456789KZ' }),
    ]);
  });

  it('cancels an order only after asking once', async () => {
    const product = await apiProduct(app.server, sellerToken, {
      name: 'Мяч',
      price: 2000,
      quantity: 3,
    });
    const other = await buyerOrdersAndPays(app.server, buyerToken, product.id, 1);
    await page.reload();
    const card = page.getByRole('article', { name: `Заказ ${other.tracking_number}` });
    await card.getByRole('button', { name: 'Отменить заказ' }).click();
    await card.getByRole('button', { name: 'Подтвердить: Отменить заказ' }).click();
    await card.getByText('Отменён', { exact: true }).waitFor();
    const seen = await app.server.request('GET', `/api/v1/orders/${other.id}`, {
      token: buyerToken,
    });
    expect(seen.body.status).toBe('cancelled');
  });

  it('decides returns: a rejection needs its reason; an approved one is received and refunded', async () => {
    const first = await buyerReturns(app.server, buyerToken, order.id, order.items[0].id, 1);
    await page
      .getByRole('navigation', { name: 'Меню' })
      .getByRole('link', { name: 'Возвраты' })
      .click();
    await page
      .getByRole('article')
      .filter({ hasText: 'Юла × 1 — брак' })
      .getByText('Ждёт решения')
      .waitFor();
    await checkScreen(page, 'seller-returns');
    await approveAndReceive(page, 'Юла × 1 — брак');
    const refunded = await app.server.request('GET', `/api/v1/returns/${first.id}`, {
      token: buyerToken,
    });
    expect(refunded.body).toMatchObject({
      status: 'refunded',
      refund_status: 'completed',
      refund_amount: 3000,
    });

    const second = await buyerReturns(app.server, buyerToken, order.id, order.items[0].id, 1);
    await page.reload();
    const card = page.getByRole('article').filter({ hasText: 'Ждёт решения' });
    await card.getByRole('button', { name: 'Отклонить…' }).click();
    // without a reason the server names the note
    await card.getByRole('button', { name: 'Отклонить', exact: true }).click();
    await card.getByRole('button', { name: 'Подтвердить: Отклонить' }).click();
    expect(await fieldError(page, 'Причина отказа')).toBe('Обязательное поле');
    await checkScreen(page, 'seller-return-reject-errors');
    await card.getByLabel('Причина отказа').fill('Товар был в употреблении');
    await card.getByRole('button', { name: 'Отклонить', exact: true }).click();
    await card.getByRole('button', { name: 'Подтвердить: Отклонить' }).click();
    const rejected = page
      .getByRole('article')
      .filter({ hasText: 'Решение: Товар был в употреблении' });
    await rejected.getByText('Отклонён').waitFor();
    const seen = await app.server.request('GET', `/api/v1/returns/${second.id}`, {
      token: buyerToken,
    });
    expect(seen.body).toMatchObject({
      status: 'rejected',
      decision_note: 'Товар был в употреблении',
    });
  });

  it('shows the balance, the ledger and the month statement, and downloads it as CSV', async () => {
    const balance = (
      await app.server.request('GET', '/api/v1/seller/balance', { token: sellerToken })
    ).body;
    // sale 7500 − commission 600 (10 % of 6000) − refund 3000 + its commission back 300
    expect(balance).toMatchObject({ available: 4200, pending: 0, lifetime_sales: 7500 });
    await page
      .getByRole('navigation', { name: 'Меню' })
      .getByRole('link', { name: 'Деньги' })
      .click();
    const available = page.locator('.stat').filter({ hasText: 'Доступно к выплате' });
    await available.getByText(tenge(4200)).waitFor();
    const ledger = page.getByRole('region', { name: 'Движения по счёту' }).first();
    await ledger.getByRole('cell', { name: 'Продажа', exact: true }).waitFor();
    await ledger.getByRole('cell', { name: tenge(7500), exact: true }).waitFor();
    await ledger.getByRole('cell', { name: 'Возврат', exact: true }).waitFor();
    const statement = page.getByRole('region', { name: 'Выписка за месяц' }).first();
    await statement
      .getByRole('row')
      .filter({ hasText: 'Конечный остаток' })
      .getByText(tenge(4200))
      .waitFor();
    await checkScreen(page, 'seller-money');

    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Скачать CSV' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^statement-\d{4}-\d{2}\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^created_at,type,amount/);
    expect(lines.filter((l) => /,sale,7500/.test(l))).toHaveLength(1);
    expect(lines.length).toBe(1 + 4); // sale, commission, refund, commission reversal
  });

  it('charts the sales with the top products', async () => {
    await page
      .getByRole('navigation', { name: 'Меню' })
      .getByRole('link', { name: 'Продажи' })
      .click();
    await page.getByRole('figure').locator('canvas').first().waitFor();
    const top = page.getByRole('region', { name: 'Лучшие товары' }).first();
    await top.getByRole('link', { name: 'Юла' }).waitFor();
    await checkScreen(page, 'seller-sales');
  });

  it('opens on a home with the shop status, the balance and the queues linking to their screens', async () => {
    const product = await apiProduct(app.server, sellerToken, {
      name: 'Кубики',
      price: 1000,
      quantity: 9,
    });
    await buyerOrdersAndPays(app.server, buyerToken, product.id, 1);
    await page
      .getByRole('navigation', { name: 'Меню' })
      .getByRole('link', { name: 'Обзор' })
      .click();
    await page.getByText('На проверке', { exact: true }).waitFor();
    await page
      .locator('.stat')
      .filter({ hasText: 'Доступно к выплате' })
      .getByText(tenge(4200))
      .waitFor();
    await checkScreen(page, 'seller-home');
    await page.getByRole('link', { name: 'Оплаченные заказы к сборке: 1' }).click();
    await page.waitForURL(/#\/seller\/orders\?status=confirmed/);
    await page.getByRole('article', { name: /Заказ/ }).getByText('Кубики × 1').waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    expect(await page.getByLabel('Статус').inputValue()).toBe('confirmed');
  });

  it('takes an approved shop on holiday and back', async () => {
    await adminApproves(app.server, await userId(app.server, sellerToken));
    await openMenu(page, 'Магазин');
    await page.getByText('Одобрен', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Уйти на каникулы' }).click();
    await page.getByText('Магазин на каникулах').waitFor();
    await checkScreen(page, 'seller-shop-holiday');
    const shop = () => app.server.request('GET', '/api/v1/seller/shop', { token: sellerToken });
    expect((await shop()).body).toMatchObject({ status: 'approved', holiday: true });
    await page.getByRole('button', { name: 'Вернуться к работе' }).click();
    await page.getByRole('button', { name: 'Уйти на каникулы' }).waitFor();
    expect((await shop()).body.holiday).toBe(false);
  });

  it('fits a 360 px phone: home, shop, products, orders, returns and money', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const p = await phone.newPage();
    const phoneErrors = watchErrors(p);
    await signIn(p, app.server.url, SELLER.email, SELLER.password);
    const screens: [string, string, string][] = [
      ['seller', 'Обзор', 'phone-seller-home'],
      ['seller/shop', 'Магазин', 'phone-seller-shop'],
      ['seller/products', 'Товары', 'phone-seller-products'],
      ['seller/orders', 'Заказы', 'phone-seller-orders'],
      ['seller/returns', 'Возвраты', 'phone-seller-returns'],
      ['seller/money', 'Деньги', 'phone-seller-money'],
      ['seller/sales', 'Продажи', 'phone-seller-sales'],
    ];
    for (const [path, title, name] of screens) {
      await p.goto(`${app.server.url}/dashboard/#/${path}`);
      await p.getByRole('heading', { name: title, level: 1 }).waitFor();
      await p.locator('.busy').first().waitFor({ state: 'detached' });
      await checkScreen(p, name);
    }
    expect(phoneErrors).toEqual([]);
    await phone.close();
  });
});
