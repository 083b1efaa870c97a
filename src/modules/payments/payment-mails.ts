import { formatKzt } from '../../common/money/money';
import type { Mail } from '../email/mailer';
import { STATUS_RU } from '../email/templates';
import type { PaymentStatus } from './payment.entity';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const LINES: Partial<Record<PaymentStatus, (ref: string, sum: string) => [string, string]>> = {
  completed: (ref, sum) => [`Оплата заказа ${ref} получена`, `Мы получили оплату ${sum}.`],
  failed: (ref, sum) => [
    `Оплата заказа ${ref} не прошла`,
    `Платёж на ${sum} не прошёл. Заказ сохранён: вы можете оплатить его снова.`,
  ],
  refunded: (ref, sum) => [`Возврат по заказу ${ref}`, `Мы вернули оплату ${sum}.`],
};

/** The customer's note on a payment change (Russian, text + html). Amount in tiyn. */
export function paymentMail(
  to: string,
  firstName: string,
  p: { orderRef: string; status: PaymentStatus; amount: number; orderStatus: string },
): Mail {
  const make = LINES[p.status] ?? ((ref: string) => [`Платёж по заказу ${ref}`, '']);
  const [subject, line] = make(p.orderRef, formatKzt(p.amount));
  const state = `Статус заказа: ${STATUS_RU[p.orderStatus] ?? p.orderStatus}.`;
  const text = `Здравствуйте, ${firstName}!\n\n${line}\n${state}`;
  const html =
    `<!doctype html><html lang="ru"><body style="font-family:Arial,sans-serif"><h2>${esc(subject)}</h2>` +
    `<p>Здравствуйте, ${esc(firstName)}!</p><p>${esc(line)}</p><p>${esc(state)}</p>` +
    `<p style="color:#888">Bibarys — маркетплейс Казахстана</p></body></html>`;
  return { to, subject, text, html };
}
