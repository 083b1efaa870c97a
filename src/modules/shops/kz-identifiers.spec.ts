import {
  binIinCheckDigit,
  hasValidCheckDigit,
  ibanMod97,
  isValidBik,
  isValidBin,
  isValidBinIinFor,
  isValidIin,
  isValidKbe,
  isValidKzIban,
  normalizeIban,
  normalizeKzPhone,
} from './kz-identifiers';

/**
 * Real published numbers where there are any (the banks' own BINs and BIKs from their sites, the
 * SWIFT IBAN registry's KZ example); the check digits were computed by hand and by the function.
 * Each case puts a valid value beside an invalid one that differs as little as possible.
 */
describe('BIN / IIN check digit', () => {
  it.each([
    // [valid, invalid, what]
    ['971240001315', '971240001316', 'Kaspi Bank JSC, first pass'],
    ['940140000385', '940140000384', 'Halyk Bank JSC, first pass'],
    ['081140000436', '081140000435', 'Samruk-Kazyna JSC, first pass'],
    ['900101300811', '900101300810', 'first pass gives 10, second pass 1'],
    ['100540000904', '100540000900', 'a BIN whose first pass gives 10, second 4'],
  ])('%s is valid, %s is not (%s)', (valid, invalid) => {
    expect(hasValidCheckDigit(valid)).toBe(true);
    expect(hasValidCheckDigit(invalid)).toBe(false);
  });

  it('refuses every check digit when both passes give 10 (never issued)', () => {
    // Σ dᵢ·i and Σ dᵢ·wᵢ of 90010130080 are both ≡ 10 (mod 11)
    expect(binIinCheckDigit('90010130080')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(hasValidCheckDigit(`90010130080${d}`)).toBe(false);
    // its neighbour has a digit
    expect(binIinCheckDigit('90010130081')).toBe(1);
  });

  it.each([
    ['971240001315', '97124000131'],
    ['971240001315', '9712400013150'],
    ['971240001315', '97124000131a'],
    ['971240001315', ' 971240001315'],
    ['971240001315', ''],
  ])('needs exactly 12 digits: %s yes, %j no', (valid, invalid) => {
    expect(hasValidCheckDigit(valid)).toBe(true);
    expect(hasValidCheckDigit(invalid)).toBe(false);
  });

  it('computes only from 11 digits', () => {
    expect(binIinCheckDigit('97124000131')).toBe(5);
    expect(binIinCheckDigit('9712400013')).toBeNull();
  });
});

describe('IIN', () => {
  it.each([
    ['870412300129', '870412300120', 'check digit'],
    ['870412300129', '871312300128', 'month 13'],
    ['050315500024', '050230500022', '30 February'],
    ['851206400025', '851206700024', 'century digit 7'],
    ['010101100028', '010101900029', 'century digit 9'],
    ['991231000024', '993112000022', 'foreigner (0): still a real date'],
    ['900101300027', '900100300021', 'day 00'],
  ])('%s is an IIN, %s is not (%s)', (valid, invalid, what) => {
    expect(isValidIin(valid)).toBe(true);
    // the invalid one fails on the rule named, not on its check digit
    expect(hasValidCheckDigit(invalid)).toBe(what !== 'check digit');
    expect(isValidIin(invalid)).toBe(false);
  });

  it('knows leap years per century (29 Feb 2000 yes, 29 Feb 1900 no)', () => {
    const withCheck = (first11: string) => first11 + String(binIinCheckDigit(first11));
    expect(isValidIin(withCheck('00022950001'))).toBe(true); // 2000-02-29, digit 5
    expect(isValidIin(withCheck('00022930001'))).toBe(false); // 1900-02-29, digit 3
  });

  it('a BIN is not an IIN', () => {
    expect(isValidIin('870412300129')).toBe(true);
    expect(isValidIin('971240001315')).toBe(false);
  });
});

describe('BIN', () => {
  it.each([
    ['971240001315', '870412300129', 'an IIN (5th digit is a day digit)'],
    ['940140000385', '941340000385', 'month 13'],
    ['030440003698', '030470003691', 'type digit 7'],
    ['020540003431', '020530003437', 'type digit 3'],
    ['941040000097', '941040000098', 'check digit'],
  ])('%s is a BIN, %s is not (%s)', (valid, invalid, what) => {
    expect(isValidBin(valid)).toBe(true);
    expect(hasValidCheckDigit(invalid)).toBe(what !== 'check digit');
    expect(isValidBin(invalid)).toBe(false);
  });

  it.each(['4', '5', '6'])('accepts type digit %s', (type) => {
    const first11 = `0812${type}000004`;
    const bin = first11 + String(binIinCheckDigit(first11));
    expect(isValidBin(bin)).toBe(true);
  });
});

describe('the number fits the legal form', () => {
  it.each([
    ['too', '971240001315', '870412300129'],
    ['ip', '870412300129', '971240001315'],
    ['individual', '870412300129', '971240001315'],
  ] as const)('%s: %s yes, %s no', (form, valid, invalid) => {
    expect(isValidBinIinFor(valid, form)).toBe(true);
    expect(isValidBinIinFor(invalid, form)).toBe(false);
  });

  it('without a form, either kind', () => {
    expect(isValidBinIinFor('971240001315', null)).toBe(true);
    expect(isValidBinIinFor('870412300129', undefined)).toBe(true);
    expect(isValidBinIinFor('870412300120', null)).toBe(false);
  });
});

describe('IBAN', () => {
  it.each([
    ['KZ86125KZT5004100100', 'KZ87125KZT5004100100', 'the registry example, check digits'],
    ['KZ86125KZT5004100100', 'KZ86125KZT5004100101', 'one character changed'],
    ['KZ86125KZT5004100100', 'KZ86125KZT500410010', '19 characters'],
    ['KZ86125KZT5004100100', 'KZ86125KZT50041001000', '21 characters'],
    ['KZ86125KZT5004100100', 'KZ86125kzt5004100100', 'lower case'],
    ['KZ86125KZT5004100100', 'DE86125KZT5004100100', 'another country'],
    ['KZ86125KZT5004100100', 'KZ8X125KZT5004100100', 'a letter in the check digits'],
  ])('%s is valid, %s is not (%s)', (valid, invalid) => {
    expect(isValidKzIban(valid)).toBe(true);
    expect(isValidKzIban(invalid)).toBe(false);
  });

  it('computes ISO 13616 mod 97 with letters as two digits', () => {
    expect(ibanMod97('KZ86125KZT5004100100')).toBe(1);
    expect(ibanMod97('GB82WEST12345698765432')).toBe(1); // the ISO 13616 example
    expect(ibanMod97('GB82WEST12345698765433')).not.toBe(1);
  });

  it('normalises spaces and case before checking', () => {
    expect(normalizeIban(' kz86 125k zt50 0410 0100 ')).toBe('KZ86125KZT5004100100');
    expect(isValidKzIban(normalizeIban('kz86 125k zt50 0410 0100'))).toBe(true);
  });
});

describe('BIK', () => {
  it.each([
    ['KCJBKZKX', 'KCJBKZK', 'Bank CenterCredit; 7 characters'],
    ['HSBKKZKX', 'HSBK-KZKX', 'Halyk Bank; a dash'],
    ['CASPKZKA', 'CASPKZKA0000', 'Kaspi Bank; 12 characters'],
    ['CASPKZKAXXX', 'caspkzka', 'with a branch code; lower case'],
  ])('%s is a BIK, %s is not (%s)', (valid, invalid) => {
    expect(isValidBik(valid)).toBe(true);
    expect(isValidBik(invalid)).toBe(false);
  });
});

describe('Kbe', () => {
  it.each([
    ['17', '07', 'resident legal entity; residency 0'],
    ['19', '10', 'resident individual; sector 0'],
    ['21', '31', 'non-resident; residency 3'],
    ['29', '1', 'one digit'],
    ['14', '147', 'three digits'],
  ])('%s is a Kbe, %s is not (%s)', (valid, invalid) => {
    expect(isValidKbe(valid)).toBe(true);
    expect(isValidKbe(invalid)).toBe(false);
  });
});

describe('phone', () => {
  it.each([
    ['+7 701 123 45 67', '+77011234567', '+7 777 123 4567 8'],
    ['87011234567', '+77011234567', '8701123456'],
    ['8 (747) 123-45-67', '+77471234567', '8 (727) 123-45-67'], // 727: Almaty landline
    ['77751234567', '+77751234567', '77171234567'], // 717: Astana landline
    ['+7-708-000-00-00', '+77080000000', '+8 708 000 00 00'],
    ['+7 (764) 555.11.22', '+77645551122', '+7 (765) 555.11.22'],
    ['7 750 100 20 30', '+77501002030', '7 750 100 20 3x'],
    ['8 771 1234567', '+77711234567', '8 772 1234567'],
    ['87781234567', '+77781234567', '97781234567'],
    ['+77001234567', '+77001234567', '+7 709 123 45 67'],
  ])('%s → %s; %s refused', (input, normal, invalid) => {
    expect(normalizeKzPhone(input)).toBe(normal);
    expect(normalizeKzPhone(invalid)).toBeNull();
  });

  it('takes every KZ mobile range and nothing next to them', () => {
    const ranges = [700, 701, 702, 703, 704, 705, 706, 707, 708, 747, 750, 751, 760, 761, 762];
    for (const r of [...ranges, 763, 764, 771, 775, 776, 777, 778]) {
      expect(normalizeKzPhone(`8${r}1234567`)).toBe(`+7${r}1234567`);
    }
    for (const r of [709, 746, 748, 749, 752, 759, 765, 770, 772, 774, 779, 800, 999]) {
      expect(normalizeKzPhone(`8${r}1234567`)).toBeNull();
    }
  });
});
