import { formatKzt } from '../../common/money/money';
import type { Mail } from '../email/mailer';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Each step of a return someone is told about. */
export type ReturnMailEvent =
  | 'requested'
  | 'new_for_seller'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'escalated'
  | 'received'
  | 'refunded'
  | 'refund_manual';

export interface ReturnMailData {
  orderRef: string;
  /** Tiyn. */
  amount: number;
  note?: string | null;
  /** Lines, for the seller's mail: "name × quantity". */
  lines?: { productName: string; quantity: number }[];
}

type Template = (d: ReturnMailData, sum: string) => [subject: string, line: string];

const TEMPLATES: Record<ReturnMailEvent, Template> = {
  requested: (d, sum) => [
    `Заявка на возврат по заказу ${d.orderRef} принята`,
    `Мы передали заявку продавцу. Сумма к возврату: ${sum}. Мы сообщим о решении.`,
  ],
  new_for_seller: (d) => [
    `Новая заявка на возврат по заказу ${d.orderRef}`,
    `Покупатель просит вернуть: ${(d.lines ?? []).map((l) => `${l.productName} × ${l.quantity}`).join(', ')}. Пожалуйста, примите решение в течение срока ответа, иначе заявку рассмотрит администратор.`,
  ],
  approved: () => [
    'Возврат одобрен',
    'Продавец одобрил возврат. Отправьте товар продавцу; деньги вернутся, когда он его получит.',
  ],
  rejected: () => ['Возврат отклонён', 'К сожалению, в возврате отказано.'],
  cancelled: () => ['Заявка на возврат отменена', 'Вы отменили заявку на возврат.'],
  escalated: () => [
    'Заявка на возврат передана администратору',
    'Продавец не ответил вовремя, поэтому заявку рассмотрит администратор Bibarys.',
  ],
  received: (_, sum) => [
    'Возвращённый товар получен',
    `Продавец получил товар. Мы возвращаем вам ${sum}.`,
  ],
  refunded: (_, sum) => ['Деньги за возврат отправлены', `Мы вернули вам ${sum}.`],
  refund_manual: (_, sum) => [
    'Возврат денег наличными',
    `Заказ был оплачен при получении, поэтому ${sum} вернёт вам администратор Bibarys отдельно.`,
  ],
};

/** A mail about a step of a return (Russian, text + html). */
export function returnMail(
  to: string,
  firstName: string,
  event: ReturnMailEvent,
  d: ReturnMailData,
): Mail {
  const [title, line] = TEMPLATES[event](d, formatKzt(d.amount));
  const subject = title.includes(d.orderRef) ? title : `${title}: заказ ${d.orderRef}`;
  const note = d.note ? `Комментарий: ${d.note}` : '';
  const text = [`Здравствуйте, ${firstName}!`, '', line, ...(note ? [note] : [])].join('\n');
  const html =
    `<!doctype html><html lang="ru"><body style="font-family:Arial,sans-serif"><h2>${esc(subject)}</h2>` +
    `<p>Здравствуйте, ${esc(firstName)}!</p><p>${esc(line)}</p>` +
    (note ? `<p>${esc(note)}</p>` : '') +
    `<p style="color:#888">Bibarys — маркетплейс Казахстана</p></body></html>`;
  return { to, subject, text, html };
}
