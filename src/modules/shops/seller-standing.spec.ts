import { SHOP_STANDING_CHANGED } from '../../common/events';
import type { AppConfig } from '../../config/app-config';
import { SellerStanding } from './seller-standing';
import type { ShopStandingRow } from './shops.repository';

const row = (
  sellerId: string,
  status: ShopStandingRow['status'],
  everApproved = false,
  holiday = false,
) => ({ sellerId, status, everApproved, holiday }) satisfies ShopStandingRow;

/** The repository as the standing cache sees it: rows, a change token and its age limit. */
class FakeShops {
  rows: ShopStandingRow[] = [];
  token: string | null = '1';
  maxAgeMs = Infinity;
  reads = 0;
  remote: Array<() => void> = [];
  changeToken = () => this.token;
  onRemoteChange = (fn: () => void) => this.remote.push(fn);
  standings = async () => {
    this.reads++;
    return this.rows.map((r) => ({ ...r }));
  };
}

function build(mode: 'auto' | 'manual', rows: ShopStandingRow[] = []) {
  const shops = new FakeShops();
  shops.rows = rows;
  const events = { emitAsync: jest.fn().mockResolvedValue([]) };
  const standing = new SellerStanding(
    shops as never,
    events as never,
    { sellerApproval: mode } as AppConfig,
  );
  return { shops, events, standing };
}

describe('SellerStanding', () => {
  const rows = [
    row('draft', 'draft'),
    row('pending', 'pending_review'),
    row('approved', 'approved', true),
    row('rechecked', 'pending_review', true),
    row('rejected', 'rejected'),
    row('suspended', 'suspended', true),
    row('away', 'approved', true, true),
  ];

  afterEach(() => jest.useRealTimers());

  it('auto: everyone sells but suspended shops (a seller without a shop too)', async () => {
    const { standing } = build('auto', rows);
    await standing.reload();
    const selling = ['draft', 'pending', 'approved', 'rechecked', 'rejected', 'away', 'no-shop'];
    for (const id of selling) expect([id, standing.canSell(id)]).toEqual([id, true]);
    expect(standing.canSell('suspended')).toBe(false);
    expect([...standing.hiddenSellerIds()]).toEqual(['suspended']);
    expect(standing.sellerFilter()).toEqual({ kind: 'except', sellerIds: new Set(['suspended']) });
  });

  it('manual: only shops approved once and not suspended sell', async () => {
    const { standing } = build('manual', rows);
    await standing.reload();
    for (const id of ['approved', 'rechecked', 'away'])
      expect([id, standing.canSell(id)]).toEqual([id, true]);
    for (const id of ['draft', 'pending', 'rejected', 'suspended', 'no-shop']) {
      expect([id, standing.canSell(id)]).toEqual([id, false]);
    }
    expect([...standing.hiddenSellerIds()].sort()).toEqual([
      'draft',
      'pending',
      'rejected',
      'suspended',
    ]);
    expect(standing.sellerFilter()).toEqual({
      kind: 'only',
      sellerIds: new Set(['approved', 'rechecked', 'away']),
    });
  });

  it('knows holidays', async () => {
    const { standing } = build('auto', rows);
    await standing.reload();
    expect(standing.onHoliday('away')).toBe(true);
    expect(standing.onHoliday('approved')).toBe(false);
    expect(standing.onHoliday('no-shop')).toBe(false);
  });

  it('serves from memory while the change token holds, reads again when it moves', async () => {
    const { shops, standing } = build('auto', rows);
    await standing.reload();
    expect(shops.reads).toBe(1);
    await standing.ensureFresh();
    await standing.ensureFresh();
    expect(shops.reads).toBe(1);
    shops.rows = [row('approved', 'suspended', true)];
    shops.token = '2'; // another process suspended it
    await standing.ensureFresh();
    expect(shops.reads).toBe(2);
    expect(standing.canSell('approved')).toBe(false);
  });

  it('reads again after maxAgeMs where other writers are not seen (PostgreSQL)', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { shops, standing } = build('auto', rows);
    shops.maxAgeMs = 1000;
    await standing.reload();
    await standing.ensureFresh();
    expect(shops.reads).toBe(1);
    jest.setSystemTime(1_000_000 + 1001);
    await standing.ensureFresh();
    expect(shops.reads).toBe(2);
  });

  it("reads again and announces it as soon as another process's change is notified", async () => {
    const { shops, events, standing } = build('auto', rows);
    await standing.onModuleInit();
    expect(shops.remote).toHaveLength(1);
    shops.rows = rows.map((r) =>
      r.sellerId === 'approved' ? row('approved', 'suspended', true) : r,
    );
    shops.token = '2'; // the notification moved the token
    shops.remote.forEach((fn) => fn());
    await standing.ensureFresh(); // the read the notification started
    expect(shops.reads).toBe(2);
    expect(events.emitAsync).toHaveBeenCalledWith(SHOP_STANDING_CHANGED, {
      sellerIds: ['approved'],
    });
  });

  it('a getter answers from memory and reads again in the background once', async () => {
    const { shops, standing } = build('auto', rows);
    await standing.reload();
    shops.rows = [row('approved', 'suspended', true)];
    shops.token = '2';
    expect(standing.canSell('approved')).toBe(true); // the answer in memory
    expect(standing.canSell('approved')).toBe(true);
    await standing.ensureFresh(); // waits for the queued read (no second one)
    expect(shops.reads).toBe(2);
    expect(standing.canSell('approved')).toBe(false);
    expect(shops.reads).toBe(2);
  });

  it('does not trust a read made while a shops write was open', async () => {
    const { shops, standing } = build('auto', rows);
    shops.token = null;
    await standing.reload();
    shops.token = '1';
    await standing.ensureFresh();
    expect(shops.reads).toBe(2);
  });

  it('announces the sellers whose standing changed, not the first load', async () => {
    const { shops, events, standing } = build('auto', rows);
    await standing.reload();
    expect(events.emitAsync).not.toHaveBeenCalled();
    shops.rows = rows.map((r) =>
      r.sellerId === 'approved' ? row('approved', 'suspended', true) : r,
    );
    shops.rows.push(row('new', 'draft'));
    await standing.reload();
    expect(events.emitAsync).toHaveBeenCalledWith(SHOP_STANDING_CHANGED, {
      sellerIds: ['approved', 'new'],
    });
    await standing.reload();
    expect(events.emitAsync).toHaveBeenCalledTimes(1); // nothing changed
  });

  it('keeps serving the last state when a read fails', async () => {
    const { shops, standing } = build('auto', rows);
    await standing.reload();
    shops.standings = () => Promise.reject(new Error('database gone'));
    jest.spyOn(standing['logger'], 'error').mockImplementation(() => undefined);
    await standing.reload();
    expect(standing.canSell('suspended')).toBe(false);
    expect(standing.canSell('approved')).toBe(true);
  });
});
