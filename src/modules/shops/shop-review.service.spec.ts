import { ShopReviewService } from './shop-review.service';
import { actor, codeOf, collaborators, complete } from './shops.fakes';

function build() {
  const c = collaborators();
  const service = new ShopReviewService(
    c.uow.asUnitOfWork(),
    c.shops as never,
    c.outbox as never,
    c.users as never,
    c.standing as never,
  );
  return { ...c, service };
}

const admin = actor('admin-1', 'admin');

describe('ShopReviewService', () => {
  it('approves a shop under review: approved_at, history, the seller mailed, standing refreshed', async () => {
    const { service, shops, outbox, standing, uow } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', status: 'pending_review' }));
    const res = await service.decide(admin, 'seller-a', 'approve');
    expect(res.status).toBe('approved');
    expect(res.approved_at).not.toBeNull();
    expect(shops.history).toEqual([
      expect.objectContaining({
        fromStatus: 'pending_review',
        toStatus: 'approved',
        changedBy: 'admin-1',
        reason: null,
      }),
    ]);
    const [tx, mail, kind] = outbox.enqueue.mock.calls[0];
    expect([tx === uow.tx, mail.to, kind]).toEqual([true, 'seller-a@example.kz', 'shop_approve']);
    expect(outbox.kick).toHaveBeenCalled();
    expect(standing.reload).toHaveBeenCalled();
  });

  it('rejects and suspends with the reason kept and mailed', async () => {
    const { service, shops, outbox } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', status: 'pending_review' }));
    shops.shops.push(complete({ sellerId: 'seller-b', slug: 'b', status: 'approved' }));
    expect((await service.decide(admin, 'seller-a', 'reject', 'Неверный IBAN')).status_reason).toBe(
      'Неверный IBAN',
    );
    expect((await service.decide(admin, 'seller-b', 'suspend', 'Жалобы')).status).toBe('suspended');
    expect(shops.history.map((h) => h.reason)).toEqual(['Неверный IBAN', 'Жалобы']);
    const texts = outbox.enqueue.mock.calls.map((c) => c[1].text as string);
    expect(texts[0]).toContain('Причина: Неверный IBAN');
    expect(texts[1]).toContain('Причина: Жалобы');
  });

  it('refuses a reject or suspend without a reason, writing nothing', async () => {
    const { service, shops } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', status: 'pending_review' }));
    expect(await codeOf(service.decide(admin, 'seller-a', 'reject'))).toBe('BAD_REQUEST');
    expect(shops.updateIfStatus).not.toHaveBeenCalled();
  });

  it.each([
    ['draft', 'approve'],
    ['approved', 'approve'],
    ['approved', 'reject'],
    ['pending_review', 'suspend'],
    ['suspended', 'suspend'],
    ['approved', 'reinstate'],
    ['rejected', 'approve'],
  ] as const)('a %s shop cannot %s: 409, nothing written', async (status, action) => {
    const { service, shops, outbox, standing } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', status }));
    expect(await codeOf(service.decide(admin, 'seller-a', action, 'причина'))).toBe(
      'INVALID_TRANSITION',
    );
    expect(shops.updateIfStatus).not.toHaveBeenCalled();
    expect(outbox.enqueue).not.toHaveBeenCalled();
    expect(standing.reload).not.toHaveBeenCalled();
  });

  it('a decision that lost the race is refused, no history and no mail', async () => {
    const { service, shops, outbox } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', status: 'pending_review' }));
    shops.loseNextRace = true;
    expect(await codeOf(service.decide(admin, 'seller-a', 'approve'))).toBe('INVALID_TRANSITION');
    expect(shops.history).toEqual([]);
    expect(outbox.enqueue).not.toHaveBeenCalled();
  });

  it('an unknown seller, or one without a shop, is a 404', async () => {
    const { service } = build();
    expect(await codeOf(service.decide(admin, 'nobody', 'approve'))).toBe('NOT_FOUND');
    expect(await codeOf(service.decide(admin, 'seller-without-shop', 'approve'))).toBe('NOT_FOUND');
  });
});
