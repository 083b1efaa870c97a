/**
 * Kazakhstan identifiers as the state and the banks issue them: pure functions, no I/O.
 *
 * IIN (individuals) and BIN (legal entities) are both 12 digits whose last digit is a check digit
 * (the algorithm of the Ministry of Justice's rules for the national registers):
 * Σ dᵢ·i for i = 1..11 mod 11; when that is 10, Σ dᵢ·wᵢ with w = 3,4,5,6,7,8,9,10,11,1,2 mod 11;
 * 10 again → the number is never issued.
 * - IIN: YYMMDD (date of birth) · century and sex (1/2 born 1800s, 3/4 1900s, 5/6 2000s, odd male;
 *   0 for a foreigner whose century is not coded) · 4 serial digits · check digit.
 * - BIN: YYMM (registration) · type (4 resident legal entity, 5 its branch or representative
 *   office, 6 an individual entrepreneur in joint enterprise) · attribute · 6 serial · check.
 */

export type LegalForm = 'ip' | 'too' | 'individual';
export const LEGAL_FORMS: readonly LegalForm[] = ['ip', 'too', 'individual'];

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit of the first 11 digits, or null when both passes give 10 (never issued). */
export function binIinCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) return null;
  const digits = [...first11].map(Number);
  for (const weights of [WEIGHTS_1, WEIGHTS_2]) {
    const c = digits.reduce((sum, d, i) => sum + d * weights[i], 0) % 11;
    if (c !== 10) return c;
  }
  return null;
}

/** 12 digits whose last one is the right check digit (IIN or BIN alike). */
export function hasValidCheckDigit(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  return binIinCheckDigit(value.slice(0, 11)) === Number(value[11]);
}

const CENTURY: Record<string, number[]> = {
  '0': [1900, 2000],
  '1': [1800],
  '2': [1800],
  '3': [1900],
  '4': [1900],
  '5': [2000],
  '6': [2000],
};

function isDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** An individual's number: a real birth date, a known century digit and the check digit. */
export function isValidIin(value: string): boolean {
  if (!hasValidCheckDigit(value)) return false;
  const centuries = CENTURY[value[6]];
  if (!centuries) return false;
  const [yy, mm, dd] = [0, 2, 4].map((i) => Number(value.slice(i, i + 2)));
  return centuries.some((c) => isDate(c + yy, mm, dd));
}

/** A legal entity's number: a registration month 01–12, type digit 4, 5 or 6, the check digit. */
export function isValidBin(value: string): boolean {
  if (!hasValidCheckDigit(value)) return false;
  const month = Number(value.slice(2, 4));
  return month >= 1 && month <= 12 && ['4', '5', '6'].includes(value[4]);
}

/** What a legal form needs: a TOO (LLP) is a legal entity with a BIN; IP and individual an IIN. */
export const needsBin = (form: LegalForm): boolean => form === 'too';

/** The number fits the legal form (BIN for `too`, IIN for `ip` and `individual`). */
export function isValidBinIinFor(value: string, form: LegalForm | null | undefined): boolean {
  if (!form) return isValidBin(value) || isValidIin(value);
  return needsBin(form) ? isValidBin(value) : isValidIin(value);
}

/** ISO 13616: move the first four characters to the end, letters → 10..35, the number mod 97 = 1. */
export function ibanMod97(iban: string): number {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const n = ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : Number(ch);
    rest = (rest * (n > 9 ? 100 : 10) + n) % 97;
  }
  return rest;
}

/** A Kazakhstan IBAN: `KZ`, 2 check digits, 16 letters or digits (20 in all), mod 97 = 1. */
export function isValidKzIban(value: string): boolean {
  return /^KZ\d{2}[0-9A-Z]{16}$/.test(value) && ibanMod97(value) === 1;
}

/** Upper-cases and drops spaces, as people write IBANs (`KZ86 125K ZT50 0410 0100`). */
export const normalizeIban = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

/** A bank identifier code: 8–11 letters or digits (Kazakhstan's are 8, e.g. `HSBKKZKX`). */
export function isValidBik(value: string): boolean {
  return /^[0-9A-Z]{8,11}$/.test(value);
}

/**
 * Kbe (beneficiary code): residency (1 resident, 2 non-resident) and the economic sector 1–9
 * (e.g. 17 a resident non-bank legal entity, 19 a resident individual).
 */
export function isValidKbe(value: string): boolean {
  return /^[12][1-9]$/.test(value);
}

/** The mobile operators' ranges (the three digits after +7) allotted in Kazakhstan. */
const MOBILE_PREFIXES = new Set([
  ...['700', '701', '702', '703', '704', '705', '706', '707', '708'],
  ...['747', '750', '751', '760', '761', '762', '763', '764', '771'],
  ...['775', '776', '777', '778'],
]);

/**
 * A Kazakhstan mobile number as `+7XXXXXXXXXX`, from `+7 701 …`, `7701…`, `8 (701) 123-45-67`;
 * spaces, dashes, dots and brackets allowed. Null when it is not a KZ mobile number.
 */
export function normalizeKzPhone(value: string): string | null {
  if (!/^\+?[\d\s().-]+$/.test(value)) return null;
  const plus = value.trim().startsWith('+');
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 11) return null;
  if (plus ? digits[0] !== '7' : digits[0] !== '7' && digits[0] !== '8') return null;
  const national = digits.slice(1);
  return MOBILE_PREFIXES.has(national.slice(0, 3)) ? `+7${national}` : null;
}
