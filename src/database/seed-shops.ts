import {
  binIinCheckDigit,
  ibanMod97,
  isValidBin,
  isValidKzIban,
} from '../modules/shops/kz-identifiers';

/** Kazakhstan banks of the demo shops: BIK and the 3-digit IBAN bank code. */
const BANKS = [
  { bik: 'HSBKKZKX', code: '601' }, // Halyk Bank
  { bik: 'CASPKZKA', code: '722' }, // Kaspi Bank
  { bik: 'KCJBKZKX', code: '551' }, // Bank CenterCredit
  { bik: 'IRTYKZKA', code: '965' }, // ForteBank
  { bik: 'TSESKZKA', code: '998' }, // First Heartland Jusan Bank
] as const;

/**
 * The `n`-th demo BIN: a TOO registered in November 2024 (type digit 4), serial `n`, with the
 * check digit both weight passes give (a serial whose passes both give 10 is skipped).
 */
export function demoBin(n: number): string {
  for (let serial = n * 10; ; serial++) {
    const first11 = `2411400${String(serial % 100000).padStart(4, '0')}`.slice(0, 11);
    const check = binIinCheckDigit(first11);
    const bin = `${first11}${check}`;
    if (check !== null && isValidBin(bin)) return bin;
  }
}

/** A KZ IBAN (ISO 13616 check digits) of the bank's code and a 10-digit tenge account. */
export function demoIban(bankCode: string, account: number): string {
  const bban = `${bankCode}KZT${String(account).padStart(10, '0')}`;
  const check = 98 - ibanMod97(`KZ00${bban}`);
  const iban = `KZ${String(check).padStart(2, '0')}${bban}`;
  if (!isValidKzIban(iban)) throw new Error(`demo IBAN ${iban} does not validate`);
  return iban;
}

/** The legal and bank fields of the `n`-th demo shop (a TOO, resident legal entity: Kbe 17). */
export function demoLegalFields(n: number) {
  const bank = BANKS[n % BANKS.length];
  return {
    legal_form: 'too' as const,
    bin_iin: demoBin(n + 1),
    iban: demoIban(bank.code, 1000000 + n * 7919),
    bik: bank.bik,
    kbe: '17',
  };
}
