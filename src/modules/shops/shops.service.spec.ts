import { DomainError } from '../../common/errors/domain-error';
import { actor, codeOf, collaborators, complete, shop } from './shops.fakes';
import { ShopsService } from './shops.service';

function build() {
  const c = collaborators();
  const service = new ShopsService(
    c.uow.asUnitOfWork(),
    c.shops as never,
    c.outbox as never,
    c.users as never,
    c.standing as never,
    c.catalog,
  );
  return { ...c, service };
}

describe('ShopsService', () => {
  it('makes a draft on the first read and reads it after', async () => {
    const { service, shops } = build();
    const first = await service.mine(actor('seller-a'));
    expect(first).toMatchObject({ seller_id: 'seller-a', status: 'draft' });
    expect((await service.mine(actor('seller-a'))).id).toBe(first.id);
    expect(shops.createDraftIfMissing).toHaveBeenCalledTimes(1);
  });

  it('derives a free slug from the name when none is given', async () => {
    const { service, shops } = build();
    shops.shops.push(complete({ sellerId: 'seller-x', slug: 'dala-tois' }));
    const res = await service.update(actor('seller-a'), { name: 'Дала Тойс' });
    expect(res.slug).toBe('dala-tois-2');
  });

  it('refuses a slug of another shop with 409 naming slug, writing nothing', async () => {
    const { service, shops } = build();
    shops.shops.push(
      complete({ sellerId: 'seller-x', slug: 'taken' }),
      shop({ sellerId: 'seller-a' }),
    );
    const e = await service
      .update(actor('seller-a'), { slug: 'taken' })
      .catch((x: DomainError) => x);
    expect(e).toMatchObject({
      code: 'SLUG_TAKEN',
      details: { errors: [expect.objectContaining({ field: 'slug' })] },
    });
    expect(shops.updateIfStatus).not.toHaveBeenCalled();
  });

  it('refuses a BIN/IIN that does not fit the stored legal form', async () => {
    const { service, shops } = build();
    shops.shops.push(shop({ sellerId: 'seller-a', legalForm: 'too' }));
    const e = await service
      .update(actor('seller-a'), { bin_iin: '870412300129' })
      .catch((x: DomainError) => x);
    expect(e).toMatchObject({
      code: 'BAD_REQUEST',
      details: { errors: [expect.objectContaining({ field: 'bin_iin', code: 'INVALID_BIN_IIN' })] },
    });
    expect(shops.updateIfStatus).not.toHaveBeenCalled();
  });

  it('an approved shop stays approved on a description edit (no history, no mail)', async () => {
    const { service, shops, outbox, standing } = build();
    shops.shops.push(
      complete({ sellerId: 'seller-a', status: 'approved', approvedAt: new Date() }),
    );
    expect(
      (
        await service.update(actor('seller-a'), {
          description: 'Новое',
          iban: 'KZ86125KZT5004100100',
        })
      ).status,
    ).toBe('approved');
    expect(shops.history).toEqual([]);
    expect(outbox.enqueue).not.toHaveBeenCalled();
    expect(standing.reload).not.toHaveBeenCalled();
  });

  it('a bank edit of an approved shop goes back to review with the old values and mails every admin', async () => {
    const { service, shops, outbox, standing, uow } = build();
    const approvedAt = new Date('2026-11-01T00:00:00Z');
    shops.shops.push(complete({ sellerId: 'seller-a', status: 'approved', approvedAt }));
    const res = await service.update(actor('seller-a'), { iban: 'KZ244350000012344567' });
    expect(res).toMatchObject({ status: 'pending_review', approved_at: approvedAt.toISOString() });
    expect(shops.history).toEqual([
      expect.objectContaining({
        fromStatus: 'approved',
        toStatus: 'pending_review',
        changedBy: 'seller-a',
      }),
    ]);
    expect(JSON.parse(shops.history[0].previousValues!)).toMatchObject({
      iban: 'KZ86125KZT5004100100',
    });
    expect(outbox.enqueue.mock.calls.map((c) => [c[0] === uow.tx, c[1].to, c[2]])).toEqual([
      [true, 'admin-1@example.kz', 'shop_submitted'],
      [true, 'admin-2@example.kz', 'shop_submitted'],
    ]);
    expect(outbox.kick).toHaveBeenCalled();
    expect(standing.reload).toHaveBeenCalled();
  });

  it('a rejected shop goes back to draft on the next edit', async () => {
    const { service, shops } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', status: 'rejected', statusReason: 'нет' }));
    const res = await service.update(actor('seller-a'), { city: 'Алматы' });
    expect(res).toMatchObject({ status: 'draft', status_reason: null });
    expect(shops.history[0]).toMatchObject({
      fromStatus: 'rejected',
      toStatus: 'draft',
      previousValues: null,
    });
  });

  it('an edit that lost a race to an admin move is refused, nothing recorded', async () => {
    const { service, shops, outbox } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', status: 'approved' }));
    shops.loseNextRace = true;
    expect(await codeOf(service.update(actor('seller-a'), { iban: 'KZ244350000012344567' }))).toBe(
      'INVALID_TRANSITION',
    );
    expect(shops.history).toEqual([]);
    expect(outbox.enqueue).not.toHaveBeenCalled();
  });

  it('submit names every missing field', async () => {
    const { service, shops } = build();
    shops.shops.push(shop({ sellerId: 'seller-a', name: 'Бастау', bik: 'HSBKKZKX' }));
    const e = (await service.submit(actor('seller-a')).catch((x: DomainError) => x)) as DomainError;
    expect(e.code).toBe('SHOP_INCOMPLETE');
    expect((e.details!.errors as { field: string }[]).map((x) => x.field)).toEqual([
      'legal_form',
      'bin_iin',
      'iban',
      'kbe',
    ]);
    expect(shops.updateIfStatus).not.toHaveBeenCalled();
  });

  it('submit moves a draft to review, mails the admins and refreshes the standing', async () => {
    const { service, shops, outbox, standing } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', slug: null }));
    const res = await service.submit(actor('seller-a'));
    expect(res).toMatchObject({ status: 'pending_review', slug: 'dala-tois' });
    expect(shops.history).toEqual([
      expect.objectContaining({ fromStatus: 'draft', toStatus: 'pending_review' }),
    ]);
    expect(outbox.enqueue).toHaveBeenCalledTimes(2);
    expect(standing.reload).toHaveBeenCalled();
    expect(await codeOf(service.submit(actor('seller-a')))).toBe('INVALID_TRANSITION');
  });

  it('the public page is for approved shops only, with the port’s product count', async () => {
    const { service, shops, catalog } = build();
    shops.shops.push(complete({ sellerId: 'seller-a', slug: 'a', status: 'approved' }));
    shops.shops.push(complete({ sellerId: 'seller-b', slug: 'b', status: 'suspended' }));
    const page = await service.publicBySlug('a');
    expect(page).toMatchObject({ slug: 'a', product_count: 4 });
    expect(page).not.toHaveProperty('bin_iin');
    expect(catalog.activeProductCount).toHaveBeenCalledWith('seller-a');
    expect(await codeOf(service.publicBySlug('b'))).toBe('NOT_FOUND');
    expect(await codeOf(service.publicBySlug('none'))).toBe('NOT_FOUND');
  });
});
