import type { Mail } from '../email/mailer';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A Russian mail of a title and paragraphs, text and html alike. */
function mail(to: string, subject: string, paragraphs: string[]): Mail {
  const html =
    `<!doctype html><html lang="ru"><body style="font-family:Arial,sans-serif"><h2>${esc(subject)}</h2>` +
    paragraphs.map((p) => `<p>${esc(p)}</p>`).join('') +
    `<p style="color:#888">Bibarys — маркетплейс Казахстана</p></body></html>`;
  return { to, subject, text: paragraphs.join('\n\n'), html };
}

export interface ShopMailFacts {
  shopName: string;
  slug: string | null;
  binIin: string | null;
}

/** To each admin: a shop asks for review (first submit, or an edit of its legal/bank fields). */
export function shopSubmittedMail(
  to: string,
  shop: ShopMailFacts,
  seller: { email: string },
  again: boolean,
): Mail {
  return mail(to, `Магазин «${shop.shopName}» ждёт проверки`, [
    'Здравствуйте!',
    again
      ? `Продавец ${seller.email} изменил юридические или банковские данные магазина «${shop.shopName}». Магазин снова ждёт проверки.`
      : `Продавец ${seller.email} отправил магазин «${shop.shopName}» на проверку.`,
    `БИН/ИИН: ${shop.binIin ?? '—'}. Очередь: /admin/sellers?status=pending_review`,
  ]);
}

export function shopApprovedMail(to: string, firstName: string, shop: ShopMailFacts): Mail {
  return mail(to, `Магазин «${shop.shopName}» одобрен`, [
    `Здравствуйте, ${firstName}!`,
    `Мы проверили данные магазина «${shop.shopName}» и одобрили его. Выплаты будут поступать на указанный счёт.`,
  ]);
}

export function shopRejectedMail(
  to: string,
  firstName: string,
  shop: ShopMailFacts,
  reason: string,
): Mail {
  return mail(to, `Магазин «${shop.shopName}» не прошёл проверку`, [
    `Здравствуйте, ${firstName}!`,
    `Магазин «${shop.shopName}» не прошёл проверку. Причина: ${reason}`,
    'Исправьте данные магазина и отправьте его на проверку снова.',
  ]);
}

export function shopSuspendedMail(
  to: string,
  firstName: string,
  shop: ShopMailFacts,
  reason: string,
): Mail {
  return mail(to, `Магазин «${shop.shopName}» приостановлен`, [
    `Здравствуйте, ${firstName}!`,
    `Работа магазина «${shop.shopName}» приостановлена: товары скрыты из каталога. Причина: ${reason}`,
  ]);
}

export function shopReinstatedMail(to: string, firstName: string, shop: ShopMailFacts): Mail {
  return mail(to, `Магазин «${shop.shopName}» снова работает`, [
    `Здравствуйте, ${firstName}!`,
    `Работа магазина «${shop.shopName}» возобновлена: товары снова в каталоге.`,
  ]);
}
