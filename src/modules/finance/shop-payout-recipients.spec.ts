import { ShopPayoutRecipients } from './shop-payout-recipients';

const bank = { binIin: '971240001315', iban: 'KZ86125KZT5004100100', bik: 'CASPKZKA', kbe: '17' };

function build() {
  const users = {
    contactsOf: jest.fn(async (ids: string[], _tx?: unknown) =>
      [
        { id: 's1', email: 's1@x.kz', firstName: 'Асель', role: 'seller' },
        { id: 's2', email: 's2@x.kz', firstName: 'Ержан', role: 'seller' },
        { id: 's3', email: 's3@x.kz', firstName: 'Дана', role: 'seller' },
        { id: 'c1', email: 'c1@x.kz', firstName: 'Бота', role: 'customer' },
      ].filter((u) => ids.includes(u.id)),
    ),
  };
  const shops = {
    of: jest.fn(async (_ids: string[], _tx?: unknown) => [
      { sellerId: 's1', name: 'Kitap', status: 'approved', ...bank },
      { sellerId: 's2', name: 'Draft', status: 'draft', ...bank },
    ]),
  };
  return { svc: new ShopPayoutRecipients(shops as any, users as any), users, shops };
}

describe('ShopPayoutRecipients', () => {
  it('approved shops with bank details, other sellers not approved, non-sellers absent', async () => {
    const t = build();
    const tx = { handle: 'tx' };
    const out = await t.svc.recipientsOf(['s1', 's2', 's3', 'c1', 'nobody'], tx as any);
    expect(out).toEqual([
      {
        sellerId: 's1',
        approved: true,
        shopName: 'Kitap',
        ...bank,
        email: 's1@x.kz',
        firstName: 'Асель',
      },
      {
        sellerId: 's2',
        approved: false,
        shopName: 'Draft',
        ...bank,
        email: 's2@x.kz',
        firstName: 'Ержан',
      },
      {
        sellerId: 's3',
        approved: false,
        shopName: '',
        binIin: null,
        iban: null,
        bik: null,
        kbe: null,
        email: 's3@x.kz',
        firstName: 'Дана',
      },
    ]);
    // the shops are asked only of the sellers, in the caller's transaction
    expect(t.shops.of.mock.calls[0][0]).toEqual(['s1', 's2', 's3']);
    expect(t.shops.of.mock.calls[0][1]).toBe(tx);
    expect(t.users.contactsOf.mock.calls[0][1]).toBe(tx);
  });

  it('asks nothing for no sellers', async () => {
    const t = build();
    expect(await t.svc.recipientsOf([])).toEqual([]);
    expect(t.users.contactsOf).not.toHaveBeenCalled();
  });
});
