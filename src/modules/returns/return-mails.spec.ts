import type { ReturnMailEvent } from './return-mails';
import { returnMail } from './return-mails';

describe('returnMail', () => {
  const events: ReturnMailEvent[] = [
    'requested',
    'new_for_seller',
    'approved',
    'rejected',
    'cancelled',
    'escalated',
    'received',
    'refunded',
    'refund_manual',
  ];

  it('names the order in every subject, greets in Russian, formats the amount', () => {
    for (const e of events) {
      const m = returnMail('a@b.kz', 'Айгерим', e, { orderRef: 'BB-1', amount: 1_234_550 });
      expect(m.to).toBe('a@b.kz');
      expect(m.subject).toContain('BB-1');
      expect(m.text).toMatch(/^Здравствуйте, Айгерим!/);
      expect(m.html).toContain('lang="ru"');
    }
    expect(
      returnMail('a@b.kz', 'A', 'refunded', { orderRef: 'BB-1', amount: 1_234_550 }).text,
    ).toContain('12\u00a0345,50 ₸');
  });

  it('carries the note and escapes it in html; lists the lines for the seller', () => {
    const m = returnMail('a@b.kz', 'A', 'rejected', {
      orderRef: 'BB-1',
      amount: 0,
      note: '<b>нет</b>',
    });
    expect(m.text).toContain('Комментарий: <b>нет</b>');
    expect(m.html).toContain('&lt;b&gt;нет&lt;/b&gt;');
    const s = returnMail('s@b.kz', 'S', 'new_for_seller', {
      orderRef: 'BB-1',
      amount: 0,
      lines: [{ productName: 'Чайник', quantity: 2 }],
    });
    expect(s.text).toContain('Чайник × 2');
  });
});
