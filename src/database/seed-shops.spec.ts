import {
  isValidBik,
  isValidBinIinFor,
  isValidKbe,
  isValidKzIban,
} from '../modules/shops/kz-identifiers';
import { demoBin, demoIban, demoLegalFields } from './seed-shops';

describe('demo shop identifiers (npm run seed)', () => {
  it('gives every demo shop a valid, distinct BIN and IBAN that the shop validators accept', () => {
    const shops = Array.from({ length: 12 }, (_, n) => demoLegalFields(n));
    for (const s of shops) {
      expect(isValidBinIinFor(s.bin_iin, s.legal_form)).toBe(true);
      expect(isValidKzIban(s.iban)).toBe(true);
      expect(isValidBik(s.bik)).toBe(true);
      expect(isValidKbe(s.kbe)).toBe(true);
    }
    expect(new Set(shops.map((s) => s.bin_iin)).size).toBe(shops.length);
    expect(new Set(shops.map((s) => s.iban)).size).toBe(shops.length);
  });

  it('computes IBAN check digits as ISO 13616 does (the registry example comes out)', () => {
    expect(demoIban('125', 0).slice(0, 2)).toBe('KZ');
    // KZ86125KZT5004100100: bank 125, account "5004100100"
    expect(demoIban('125', 5004100100)).toBe('KZ86125KZT5004100100');
  });

  it('never returns a BIN whose check digit would be 10 twice', () => {
    for (let n = 0; n < 200; n++) expect(demoBin(n)).toMatch(/^2411400\d{5}$/);
  });
});
