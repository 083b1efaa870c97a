import type { Page } from 'playwright-core';

// The seller's steps through the dashboard, shared by the seller spec and issue 19's story.

export async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Меню' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** Fills the shop form's fields (the labels the seller sees). */
export async function fillShop(
  page: Page,
  shop: {
    name: string;
    legal_form: string;
    bin_iin: string;
    iban: string;
    bik: string;
    kbe: string;
  },
): Promise<void> {
  await page.getByLabel('Название магазина').fill(shop.name);
  await page.getByLabel('Форма').selectOption(shop.legal_form);
  await page.getByLabel('БИН/ИИН').fill(shop.bin_iin);
  await page.getByLabel('IBAN (счёт)').fill(shop.iban);
  await page.getByLabel('БИК банка').fill(shop.bik);
  await page.getByLabel('КБе').fill(shop.kbe);
}

/** Moves a paid (confirmed) order to delivered on the orders screen, shipping it with `tracking`. */
export async function fulfil(page: Page, orderRef: string, tracking: string): Promise<void> {
  const card = page.getByRole('article', { name: `Заказ ${orderRef}` });
  await card.getByText('Подтверждён').waitFor();
  await card.getByRole('button', { name: 'Начать сборку' }).click();
  await card.getByText('Собирается').waitFor();
  await card.getByLabel('Трек-номер').fill(tracking);
  await card.getByRole('button', { name: 'Отправить' }).click();
  await card.getByText(`Трек-номер: ${tracking}`).waitFor();
  await card.getByText('Отправлен', { exact: true }).waitFor();
  await card.getByRole('button', { name: 'Отметить доставленным' }).click();
  await card.getByText('Доставлен', { exact: true }).waitFor();
}

/** Approves the return whose card shows `text`, then receives it (asked once): refunded. */
export async function approveAndReceive(page: Page, text: string): Promise<void> {
  const card = page.getByRole('article').filter({ hasText: text });
  await card.getByText('Ждёт решения').waitFor();
  await card.getByRole('button', { name: 'Одобрить' }).click();
  await card.getByText('Одобрен', { exact: true }).waitFor();
  await card.getByRole('button', { name: 'Товар получен — вернуть деньги' }).click();
  await card.getByRole('button', { name: 'Подтвердить: Товар получен — вернуть деньги' }).click();
  await card.getByText('Деньги возвращены').waitFor();
}
