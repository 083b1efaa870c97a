import {
  commissionFor,
  commissionReversal,
  CsvChunks,
  divHalfUp,
  financeFigures,
  isTimeZone,
  localDate,
  monthRange,
  parcelRefund,
  payoutDecision,
  payoutPurpose,
  percentToBp,
  registerCsv,
  resolveRule,
  ScopedRule,
  splitBalance,
  STATEMENT_CSV_HEADER,
  statementCsvLine,
  StatementLine,
  statementOf,
  tiynToDecimal,
  toCsv,
  vatPart,
} from './money-rules';

const terms = (rateBp: number, minFee: number | null = null, maxFee: number | null = null) => ({
  rateBp,
  minFee,
  maxFee,
});

describe('percentToBp', () => {
  it.each([
    [10, 1000],
    [0, 0],
    [100, 10_000],
    [12.34, 1234],
    [0.01, 1],
    [7.5, 750],
  ])('%p %% → %p bp', (p, bp) => expect(percentToBp(p)).toBe(bp));

  it.each([[-1], [100.01], [1.234], [NaN], [Infinity]])('refuses %p', (p) =>
    expect(percentToBp(p)).toBeNull(),
  );
});

describe('divHalfUp', () => {
  it('rounds half up, and half away from zero below zero', () => {
    expect(divHalfUp(5, 10)).toBe(1);
    expect(divHalfUp(4, 10)).toBe(0);
    expect(divHalfUp(15, 10)).toBe(2);
    expect(divHalfUp(-15, 10)).toBe(-2);
    expect(divHalfUp(-14, 10)).toBe(-1);
  });
});

describe('commissionFor', () => {
  it('is subtotal × rate, rounded half up to the tiyn', () => {
    expect(commissionFor(100_000, terms(1000))).toBe(10_000);
    expect(commissionFor(5, terms(1000))).toBe(1); // 0.5 tiyn → 1
    expect(commissionFor(4, terms(1000))).toBe(0); // 0.4 tiyn → 0
    expect(commissionFor(12_345, terms(1234))).toBe(1523); // 1523.373
    expect(commissionFor(99_999, terms(5))).toBe(50); // 49.9995 → 50
  });

  it('is clamped to [min_fee, max_fee]', () => {
    expect(commissionFor(1000, terms(1000, 500))).toBe(500);
    expect(commissionFor(1_000_000, terms(1000, null, 20_000))).toBe(20_000);
    expect(commissionFor(100_000, terms(1000, 5000, 20_000))).toBe(10_000);
    expect(commissionFor(100_000, terms(0, 300))).toBe(300);
  });

  it('is exact for large amounts (no float drift)', () => {
    expect(commissionFor(10_000_000_000, terms(1)) /* 100M KZT at 0.01 % */).toBe(1_000_000);
    expect(commissionFor(10_000_000_001, terms(9999))).toBe(9_999_000_001);
  });
});

describe('resolveRule', () => {
  const rule = (scope: ScopedRule['scope'], target: string | null, rateBp: number) => ({
    scope,
    category: scope === 'category' ? target : null,
    sellerId: scope === 'seller' ? target : null,
    ...terms(rateBp),
  });
  const rules = [
    rule('global', null, 1000),
    rule('category', 'books', 500),
    rule('seller', 's1', 200),
  ];

  it('takes the seller rule over the category and global ones', () => {
    expect(resolveRule(rules, { sellerId: 's1', category: 'books' }).rateBp).toBe(200);
  });
  it('takes the category rule over the global one', () => {
    expect(resolveRule(rules, { sellerId: 's2', category: 'books' }).rateBp).toBe(500);
  });
  it('falls back to the global rule', () => {
    expect(resolveRule(rules, { sellerId: 's2', category: 'toys' }).rateBp).toBe(1000);
  });
  it('fails loudly without a global rule', () => {
    expect(() => resolveRule([], { sellerId: 's', category: 'x' })).toThrow();
  });
});

describe('vatPart', () => {
  it('is c × p / (100 + p), rounded half up', () => {
    expect(vatPart(11_600, 16)).toBe(1600);
    expect(vatPart(1000, 16)).toBe(138); // 137.93
    expect(vatPart(1, 16)).toBe(0); // 0.1379
    expect(vatPart(1000, 12)).toBe(107); // 107.14
  });
  it('is 0 when VAT is disabled', () => expect(vatPart(11_600, 0)).toBe(0));
});

describe('splitBalance', () => {
  const now = new Date('2025-06-15T00:00:00Z');
  const later = new Date('2025-06-29T00:00:00Z');
  const earlier = new Date('2025-06-01T00:00:00Z');
  const at = (availableAt: Date, createdAt = earlier) => ({ availableAt, createdAt });

  it('splits pending from available and keeps the lifetime figures', () => {
    const b = splitBalance(
      [
        { type: 'sale', amount: 100_000, ...at(earlier) },
        { type: 'commission', amount: -10_000, ...at(earlier) },
        { type: 'sale', amount: 50_000, ...at(later) },
        { type: 'commission', amount: -5000, ...at(later) },
        { type: 'payout', amount: -90_000, ...at(earlier) },
        { type: 'payout_reversal', amount: 90_000, ...at(earlier) },
        { type: 'payout', amount: -90_000, ...at(earlier) },
        { type: 'refund', amount: -2000, ...at(now) },
        { type: 'commission_reversal', amount: 200, ...at(now) },
        { type: 'adjustment', amount: 300, ...at(now) },
      ],
      now,
    );
    expect(b).toEqual({
      pending: 45_000,
      available: -1500,
      paidOut: 90_000,
      lifetimeSales: 150_000,
      lifetimeCommission: 14_800,
    });
  });

  it('counts an entry available at exactly now as available', () => {
    expect(splitBalance([{ type: 'sale', amount: 1, ...at(now) }], now)).toMatchObject({
      pending: 0,
      available: 1,
    });
  });

  it('never counts an entry available at its creation as pending, even for an older clock', () => {
    // a payout booked a moment after the reader took its clock
    const booked = new Date(now.getTime() + 5);
    const b = splitBalance(
      [
        { type: 'sale', amount: 1000, ...at(earlier) },
        { type: 'payout', amount: -1000, ...at(booked, booked) },
      ],
      now,
    );
    expect(b).toMatchObject({ pending: 0, available: 0 });
  });
});

describe('monthRange (Asia/Almaty moved from UTC+6 to UTC+5 on 2024-03-01)', () => {
  it('February 2024 starts at local midnight of UTC+6', () => {
    expect(monthRange('2024-02', 'Asia/Almaty')).toEqual({
      month: '2024-02',
      from: new Date('2024-01-31T18:00:00.000Z'),
      to: new Date('2024-02-29T19:00:00.000Z'),
    });
  });
  it('March 2024 starts and ends at local midnight of UTC+5', () => {
    expect(monthRange('2024-03', 'Asia/Almaty')).toEqual({
      month: '2024-03',
      from: new Date('2024-02-29T19:00:00.000Z'),
      to: new Date('2024-03-31T19:00:00.000Z'),
    });
  });
  it('December runs into the next year', () => {
    expect(monthRange('2025-12', 'Asia/Almaty')?.to).toEqual(new Date('2025-12-31T19:00:00Z'));
  });
  it('follows daylight saving time elsewhere', () => {
    // Berlin: March 2025 starts at +1, April at +2 (summer time from 30 March)
    expect(monthRange('2025-03', 'Europe/Berlin')).toMatchObject({
      from: new Date('2025-02-28T23:00:00Z'),
      to: new Date('2025-03-31T22:00:00Z'),
    });
    expect(monthRange('2025-03', 'UTC')?.from).toEqual(new Date('2025-03-01T00:00:00Z'));
  });
  it.each(['2024-13', '2024-00', '2024-1', '24-01', 'march', '2024-01-01'])('refuses %p', (m) =>
    expect(monthRange(m, 'Asia/Almaty')).toBeNull(),
  );
  it('knows real zones from made-up ones', () => {
    expect(isTimeZone('Asia/Almaty')).toBe(true);
    expect(isTimeZone('Asia/Nowhere')).toBe(false);
  });
});

describe('statementOf', () => {
  it('sums per type and closes at opening + every movement', () => {
    const s = statementOf(
      '2025-05',
      10_000,
      {
        sale: 116_000,
        commission: -11_600,
        refund: -1000,
        commission_reversal: 100,
        payout: -50_000,
        payout_reversal: 20_000,
        adjustment: -500,
      },
      16,
    );
    expect(s).toEqual({
      month: '2025-05',
      openingBalance: 10_000,
      sales: 116_000,
      commission: -11_600,
      commissionVat: 1586, // VAT inside 11 500 net: 1586.2
      refunds: -1000,
      commissionReversals: 100,
      payouts: -30_000,
      adjustments: -500,
      closingBalance: 83_000,
    });
  });
  it('is all zeros for an empty month', () => {
    expect(statementOf('2025-05', 7, {}, 16)).toMatchObject({ closingBalance: 7, sales: 0 });
  });
});

describe('payoutDecision', () => {
  it('pays the whole available balance of an approved shop at or above the minimum', () => {
    expect(payoutDecision(100_000, true, 100_000)).toEqual({ pay: 100_000 });
  });
  it.each([
    [0, true, 1, 'NOTHING_AVAILABLE'],
    [-5, false, 1, 'NOTHING_AVAILABLE'],
    [500, false, 1, 'SHOP_NOT_APPROVED'],
    [99_999, true, 100_000, 'BELOW_MINIMUM'],
  ])('available %p, approved %p, min %p → %p', (a, ok, min, reason) =>
    expect(payoutDecision(a, ok, min)).toEqual({ skip: reason }),
  );
});

describe('CSV', () => {
  it('quotes as RFC 4180 and starts with a BOM', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['x,y', 'say "hi"'],
        ['line\nbreak', null],
        [1, -2],
      ],
    );
    expect(csv).toBe('\ufeffa,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n1,-2\r\n');
  });
  it('defuses spreadsheet formulas in text', () => {
    expect(toCsv(['a'], [['=SUM(A1)']])).toBe("\ufeffa\r\n'=SUM(A1)\r\n");
  });
  it('writes a statement byte for byte as toCsv writes the same entries', () => {
    const order = '7b0e8f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    const payout = '0f1e2d3c-4b5a-4968-8776-655443322110';
    // each entry's ten fields as toCsv gets them (null: empty); the database writes the first
    // eight as StatementLine's head (the amount as tiynToDecimal writes it: finance-ledger e2e)
    const entries: (string | null)[][] = [
      [
        '2026-11-30T19:00:00.000Z',
        'sale',
        tiynToDecimal(123_450),
        '2026-12-14T19:00:00.000Z',
        order,
        null,
        null,
        null,
        null,
        'a1',
      ],
      [
        '2026-11-30T19:00:00.001Z',
        'adjustment',
        tiynToDecimal(-5),
        '2026-11-30T19:00:00.001Z',
        null,
        null,
        null,
        null,
        'a, "b"\nc',
        'a2',
      ],
      [
        '2026-11-30T19:00:00.002Z',
        'adjustment',
        tiynToDecimal(0),
        '2026-11-30T19:00:00.002Z',
        null,
        null,
        null,
        null,
        '+7 701',
        'a3',
      ],
      [
        '2026-11-30T19:00:00.003Z',
        'payout',
        tiynToDecimal(-100_000),
        '2026-11-30T19:00:00.003Z',
        null,
        null,
        null,
        payout,
        '',
        'a4',
      ],
    ];
    const lines: StatementLine[] = entries.map((f) => ({
      head: f
        .slice(0, 8)
        .map((v) => v ?? '')
        .join(','),
      note: f[8],
      id: f[9]!,
    }));
    const chunks = new CsvChunks(STATEMENT_CSV_HEADER, 3);
    for (const l of lines) chunks.add(statementCsvLine(l));
    const parts = chunks.end();
    expect(parts).toHaveLength(3); // the header, 3 lines, 1 line
    const csv = Buffer.concat(parts).toString('utf8');
    expect(csv).toBe(toCsv(STATEMENT_CSV_HEADER, entries));
    expect(csv.split('\r\n')[2]).toBe(
      `2026-11-30T19:00:00.001Z,adjustment,-0.05,2026-11-30T19:00:00.001Z,,,,,"a, ""b""\nc",a2`,
    );
    const empty = new CsvChunks(STATEMENT_CSV_HEADER).end();
    expect(Buffer.concat(empty).toString()).toBe(`\ufeff${STATEMENT_CSV_HEADER.join(',')}\r\n`);
  });
  it('writes amounts as tenge with 2 decimals', () => {
    expect([tiynToDecimal(123_450), tiynToDecimal(5), tiynToDecimal(-105)]).toEqual([
      '1234.50',
      '0.05',
      '-1.05',
    ]);
  });
  it('writes the bank register in the contract’s columns', () => {
    const csv = registerCsv(
      [
        {
          recipient: 'ИП "Асель"',
          binIin: '880101300123',
          iban: 'KZ86125KZT5004100100',
          bik: 'KCJBKZKX',
          kbe: '19',
          amount: 1_234_550,
          purpose: 'Выплата',
        },
      ],
      '859',
    );
    expect(csv.split('\r\n')).toEqual([
      '\ufeffrecipient,bin_iin,iban,bik,kbe,knp,amount,purpose',
      '"ИП ""Асель""",880101300123,KZ86125KZT5004100100,KCJBKZKX,19,859,12345.50,Выплата',
      '',
    ]);
  });
});

describe('commissionReversal', () => {
  it('returning every unit in several returns reverses exactly the line’s commission', () => {
    for (const [quantity, commission] of [
      [3, 1000],
      [7, 1],
      [6, 12_345],
      [1, 999],
      [10, 5],
    ]) {
      const line = { quantity, commission };
      // every way of cutting the quantity into returns: one unit at a time, halves, all at once
      for (const step of [1, 2, Math.ceil(quantity / 2), quantity]) {
        let back = 0;
        let reversed = 0;
        while (back < quantity) {
          const q = Math.min(step, quantity - back);
          const r = commissionReversal(line, back, q);
          expect(r).toBeGreaterThanOrEqual(0);
          reversed += r;
          back += q;
          expect(reversed).toBeLessThanOrEqual(commission);
        }
        expect(reversed).toBe(commission);
      }
    }
  });

  it('is pro rata, rounded half up: 1 of 3 units of 10.00 → 3.33, then 3.34, then 3.33', () => {
    const line = { quantity: 3, commission: 1000 };
    expect(commissionReversal(line, 0, 1)).toBe(333);
    expect(commissionReversal(line, 1, 1)).toBe(334);
    expect(commissionReversal(line, 2, 1)).toBe(333);
    expect(commissionReversal({ quantity: 2, commission: 5 }, 0, 1)).toBe(3);
    expect(commissionReversal({ quantity: 2, commission: 5 }, 1, 1)).toBe(2);
  });

  it('never counts units beyond the line’s, nor a negative quantity', () => {
    const line = { quantity: 2, commission: 100 };
    expect(commissionReversal(line, 0, 5)).toBe(100);
    expect(commissionReversal(line, 2, 1)).toBe(0);
    expect(commissionReversal(line, 1, -1)).toBe(0);
    expect(commissionReversal({ quantity: 0, commission: 100 }, 0, 1)).toBe(0);
  });
});

describe('parcelRefund', () => {
  it('takes back the sale and the commission not yet refunded by returns', () => {
    expect(parcelRefund({ sale: 5000, commission: -500 })).toEqual({ refund: 5000, reversal: 500 });
    expect(
      parcelRefund({ sale: 5000, commission: -500, refund: -1200, commission_reversal: 120 }),
    ).toEqual({ refund: 3800, reversal: 380 });
    expect(parcelRefund({})).toEqual({ refund: 0, reversal: 0 });
    expect(
      parcelRefund({ sale: 100, refund: -100, commission: -10, commission_reversal: 10 }),
    ).toEqual({ refund: 0, reversal: 0 });
  });
});

describe('financeFigures', () => {
  it('commission net of reversals with its VAT part; refunds positive', () => {
    expect(
      financeFigures(
        { commission: -11_600, commission_reversal: 0, refund: -500, adjustment: 7 },
        16,
      ),
    ).toEqual({ commissionEarned: 11_600, commissionVat: 1600, refunds: 500, adjustments: 7 });
    expect(financeFigures({}, 16)).toEqual({
      commissionEarned: 0,
      commissionVat: 0,
      refunds: 0,
      adjustments: 0,
    });
  });
});

describe('payout purpose dates', () => {
  const intl = (d: Date, tz: string) =>
    new Intl.DateTimeFormat('ru-RU', {
      timeZone: tz,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(d);

  it('writes dd.mm.yyyy in the zone, as ru-RU Intl does, across midnights and years', () => {
    // 2026-12-31T19:00Z is already 1 January in Almaty (UTC+5)
    expect(localDate(new Date('2026-12-31T19:00:00Z'), 'Asia/Almaty')).toBe('01.01.2027');
    expect(localDate(new Date('2026-12-31T18:59:59Z'), 'Asia/Almaty')).toBe('31.12.2026');
    const start = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 800; i++) {
      const d = new Date(start + i * 23.7 * 3600_000);
      for (const tz of ['Asia/Almaty', 'UTC', 'America/New_York']) {
        expect(localDate(d, tz)).toBe(intl(d, tz));
      }
    }
    expect(
      payoutPurpose(
        'ИП Ахметова',
        new Date('2026-11-01T00:00:00Z'),
        new Date('2026-12-01T10:00:00Z'),
        'Asia/Almaty',
      ),
    ).toBe('Выплата по договору оферты с ИП Ахметова за период с 01.11.2026 по 01.12.2026');
  });

  it('10,000 purposes (one batch) hold no native memory: no formatter per call', () => {
    const before = process.memoryUsage().rss;
    const at = new Date('2026-12-01T10:00:00Z');
    for (let i = 0; i < 10_000; i++) payoutPurpose(`shop ${i}`, at, at, 'Asia/Almaty');
    // a new Intl.DateTimeFormat per call grew RSS by ~260 MB here
    expect((process.memoryUsage().rss - before) / 2 ** 20).toBeLessThan(40);
  });
});
