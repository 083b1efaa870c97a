import type { Browser } from 'playwright-core';

import { checkScreen, launchChromium, signIn, watchErrors } from './support/browser';
import { apiUser, SERVER_ADMIN, startServer } from './support/server';

/** The shell of the dashboard: sign-in, the menu by role, sign-out, a phone's width. */
describe('dashboard shell (Chromium)', () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchChromium(), startServer()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows the sign-in form, refuses a wrong password on the form, and is accessible', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${app.server.url}/dashboard/`);
    await page.getByRole('heading', { name: 'Вход в кабинет' }).waitFor();
    await checkScreen(page, 'login');
    await page.getByLabel('Эл. почта').fill(SERVER_ADMIN.email);
    await page.getByLabel('Пароль').fill('not-the-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('alert').filter({ hasText: 'Неверная почта или пароль' }).waitFor();
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.close();
  });

  it('signs an admin in to the admin screens, keeps the session over a reload, signs out', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, app.server.url, SERVER_ADMIN.email, SERVER_ADMIN.password);
    await page.waitForURL(/#\/admin/);
    await page
      .getByRole('navigation', { name: 'Меню' })
      .getByRole('link', { name: 'Платформа' })
      .waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('heading', { name: 'Вход в кабинет' }).waitFor();
    // the refresh token was revoked on the server: it cannot be used again
    expect(await page.evaluate(() => localStorage.getItem('bibarys.dashboard.tokens'))).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('tells a customer the dashboard is not for buyers', async () => {
    await apiUser(app.server, 'buyer-shell@example.kz', 'buyer-password-1');
    const page = await browser.newPage();
    await page.goto(`${app.server.url}/dashboard/`);
    await page.getByLabel('Эл. почта').fill('buyer-shell@example.kz');
    await page.getByLabel('Пароль').fill('buyer-password-1');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByText('Кабинет открыт продавцам и администраторам').waitFor();
    await page.close();
  });

  it('fits a 360 px phone: the menu folds behind a button', async () => {
    await apiUser(app.server, 'seller-shell@example.kz', 'seller-password-1', 'seller');
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await signIn(page, app.server.url, 'seller-shell@example.kz', 'seller-password-1');
    await page.waitForURL(/#\/seller/);
    const menu = page.getByRole('button', { name: 'Меню' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    await page.getByRole('navigation', { name: 'Меню' }).getByRole('link').first().waitFor();
    await checkScreen(page, 'phone-seller-menu');
    await context.close();
  });
});
