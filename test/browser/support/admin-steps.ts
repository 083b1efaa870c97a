import type { Locator, Page } from 'playwright-core';

// The admin's clicks through the dashboard, shared by the admin specs and issue 19's story.

/** A ConfirmButton: clicked, then its confirmation. */
export async function confirm(scope: Locator | Page, label: string): Promise<void> {
  await scope.getByRole('button', { name: label, exact: true }).click();
  await scope.getByRole('button', { name: `Подтвердить: ${label}` }).click();
}

/** A ReasonAction: opened, its field filled, confirmed. */
export async function withReason(
  scope: Locator | Page,
  label: string,
  field: string,
  text: string,
): Promise<void> {
  await scope.getByRole('button', { name: label, exact: true }).click();
  await scope.getByLabel(field).fill(text);
  await confirm(scope, label);
}

/**
 * Opens a screen by its hash route and waits for its heading and its first load. The screen on
 * view already (the same hash changes nothing) is reloaded, so it shows the data as it is now.
 */
export async function goTo(page: Page, baseUrl: string, hash: string, heading: string) {
  const url = `${baseUrl}/dashboard/#${hash}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Загрузка' }).waitFor({ state: 'detached' });
}

/** Approves the shop `name` in the review queue; it leaves the queue. */
export async function approveShop(page: Page, baseUrl: string, name: string): Promise<void> {
  await goTo(page, baseUrl, '/admin/sellers?status=pending_review', 'Магазины');
  const card = page.getByRole('article', { name });
  await card.getByRole('button', { name: 'Одобрить' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Магазин «${name}» одобрен` })
    .waitFor();
  await card.waitFor({ state: 'detached' });
}

/**
 * Makes a payout batch (minimum 1 ₸) on the payouts screen and marks the shop's payout paid with
 * the bank reference; the row shows the reference.
 */
export async function payShop(
  page: Page,
  baseUrl: string,
  shop: string,
  bankReference: string,
): Promise<void> {
  await goTo(page, baseUrl, '/admin/payouts', 'Выплаты');
  await page.getByLabel('Минимальная сумма, ₸').fill('1');
  await page.getByRole('button', { name: 'Сформировать выплаты' }).click();
  await page.getByText('Пачка сформирована: выплат 1').waitFor();
  await page.waitForURL(/batch=/);
  const row = page.getByRole('row').filter({ hasText: shop });
  await row.getByText('Ждёт оплаты').waitFor();
  await withReason(row, 'Отметить оплату', 'Номер платёжки', bankReference);
  await page
    .getByRole('status')
    .filter({ hasText: `Выплата «${shop}» отмечена оплаченной` })
    .waitFor();
  await row.getByText(`Платёжка ${bankReference}`).waitFor();
}
