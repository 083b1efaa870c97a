import { formatKzt } from '../../common/money/money';
import type { Mail } from '../email/mailer';

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => HTML[c] ?? '&#39;');

/** The seller's note that a payout reached the bank (Russian, text + html). Amount in tiyn. */
export function payoutPaidMail(
  to: string,
  firstName: string,
  p: { amount: number; iban: string; bankReference: string },
): Mail {
  const subject = `Выплата ${formatKzt(p.amount)} отправлена`;
  const line = `Мы перевели ${formatKzt(p.amount)} на счёт ${p.iban}. Номер платежа в банке: ${p.bankReference}.`;
  const text = `Здравствуйте, ${firstName}!\n\n${line}\nИстория выплат — в кабинете продавца.`;
  const html =
    `<!doctype html><html lang="ru"><body style="font-family:Arial,sans-serif"><h2>${esc(subject)}</h2>` +
    `<p>Здравствуйте, ${esc(firstName)}!</p><p>${esc(line)}</p>` +
    `<p>История выплат — в кабинете продавца.</p>` +
    `<p style="color:#888">Bibarys — маркетплейс Казахстана</p></body></html>`;
  return { to, subject, text, html };
}
