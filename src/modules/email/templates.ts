import { formatKzt } from '../../common/money/money';
import type { Mail } from './mailer';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const layout = (title: string, body: string) =>
  `<!doctype html><html lang="ru"><body style="font-family:Arial,sans-serif"><h2>${esc(title)}</h2>${body}<p style="color:#888">Bibarys — маркетплейс Казахстана</p></body></html>`;

export const STATUS_RU: Record<string, string> = {
  pending: 'ожидает подтверждения',
  confirmed: 'подтверждён',
  processing: 'собирается',
  shipped: 'отправлен',
  delivered: 'доставлен',
  cancelled: 'отменён',
  refunded: 'возвращён',
};

export const DELIVERY_RU: Record<string, string> = {
  standard: 'стандартная (5–7 дней)',
  express: 'экспресс (2–3 дня)',
  same_day: 'в тот же день',
};

/** A mail with a link to follow, text and html alike: paragraphs, the link, paragraphs. */
export function linkMail(
  to: string,
  subject: string,
  before: string[],
  link: { url: string; label: string },
  after: string[] = [],
): Mail {
  const text = [...before, `${link.label}: ${link.url}`, ...after].join('\n\n');
  const p = (xs: string[]) => xs.map((x) => `<p>${esc(x)}</p>`).join('');
  const html = layout(
    subject,
    `${p(before)}<p><a href="${esc(link.url)}">${esc(link.label)}</a></p><p style="color:#888">${esc(link.url)}</p>${p(after)}`,
  );
  return { to, subject, text, html };
}

/** The welcome after registration, with the link that verifies the address (48 hours). */
export function welcomeMail(to: string, firstName: string, verifyUrl?: string): Mail {
  const subject = 'Добро пожаловать в Bibarys!';
  const hello = [
    `Здравствуйте, ${firstName}!`,
    'Спасибо за регистрацию в Bibarys. Приятных покупок!',
  ];
  if (verifyUrl) {
    return linkMail(
      to,
      subject,
      [...hello, 'Подтвердите, пожалуйста, ваш адрес электронной почты:'],
      { url: verifyUrl, label: 'Подтвердить адрес' },
      ['Ссылка действует 48 часов.'],
    );
  }
  return {
    to,
    subject,
    text: hello.join('\n\n'),
    html: layout(subject, hello.map((x) => `<p>${esc(x)}</p>`).join('')),
  };
}

export interface OrderMailData {
  trackingNumber: string;
  items: { productName: string; quantity: number; price: number; subtotal: number }[];
  itemsTotal: number;
  deliveryMethod: string;
  deliveryCost: number;
  totalAmount: number;
  deliveryAddress: string;
}

export function orderConfirmationMail(to: string, firstName: string, o: OrderMailData): Mail {
  const subject = `Заказ ${o.trackingNumber} оформлен`;
  const lines = o.items.map(
    (i) => `• ${i.productName} × ${i.quantity} по ${formatKzt(i.price)} = ${formatKzt(i.subtotal)}`,
  );
  const text = [
    `Здравствуйте, ${firstName}!`,
    '',
    `Ваш заказ ${o.trackingNumber} оформлен.`,
    '',
    ...lines,
    '',
    `Товары: ${formatKzt(o.itemsTotal)}`,
    `Доставка (${DELIVERY_RU[o.deliveryMethod] ?? o.deliveryMethod}): ${formatKzt(o.deliveryCost)}`,
    `Итого: ${formatKzt(o.totalAmount)}`,
    `Адрес доставки: ${o.deliveryAddress}`,
  ].join('\n');
  const rows = o.items
    .map(
      (i) =>
        `<tr><td>${esc(i.productName)}</td><td>${i.quantity}</td><td>${formatKzt(i.price)}</td><td>${formatKzt(i.subtotal)}</td></tr>`,
    )
    .join('');
  const html = layout(
    subject,
    `<p>Здравствуйте, ${esc(firstName)}!</p><table border="1" cellpadding="4"><tr><th>Товар</th><th>Кол-во</th><th>Цена</th><th>Сумма</th></tr>${rows}</table>` +
      `<p>Товары: ${formatKzt(o.itemsTotal)}<br>Доставка (${esc(DELIVERY_RU[o.deliveryMethod] ?? o.deliveryMethod)}): ${formatKzt(o.deliveryCost)}<br><b>Итого: ${formatKzt(o.totalAmount)}</b></p>` +
      `<p>Адрес доставки: ${esc(o.deliveryAddress)}</p>`,
  );
  return { to, subject, text, html };
}

export function statusChangeMail(
  to: string,
  firstName: string,
  orderRef: string,
  status: string,
  trackingNumber?: string | null,
): Mail {
  const label = STATUS_RU[status] ?? status;
  const subject = `Заказ ${orderRef}: ${label}`;
  const track =
    status === 'shipped' && trackingNumber ? `\nТрек-номер посылки: ${trackingNumber}` : '';
  const text = `Здравствуйте, ${firstName}!\n\nСтатус вашего заказа ${orderRef}: ${label}.${track}`;
  const html = layout(
    subject,
    `<p>Здравствуйте, ${esc(firstName)}!</p><p>Статус вашего заказа ${esc(orderRef)}: <b>${esc(label)}</b>.</p>` +
      (track ? `<p>Трек-номер посылки: <b>${esc(trackingNumber!)}</b></p>` : ''),
  );
  return { to, subject, text, html };
}
