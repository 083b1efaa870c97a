import { admin } from './ru/admin';
import { common } from './ru/common';
import { seller } from './ru/seller';

/** Russian: the dashboard's only language today, and the list of every key. */
const ru = { ...common, ...seller, ...admin };
export type MessageKey = keyof typeof ru;
/** A translation: every key, so a missing string is a type error, not a blank on screen. */
export type Messages = Record<MessageKey, string>;

/** Add a locale here (e.g. `kk: kk as Messages`) and it can be chosen by `setLocale`. */
const LOCALES: Record<string, Messages> = { ru };
let current: Messages = ru;
export let locale = 'ru';

export function setLocale(name: string): void {
  if (!LOCALES[name]) return;
  current = LOCALES[name];
  locale = name;
  document.documentElement.lang = name;
}

/** The string of `key`, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text: string = current[key] ?? ru[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] === undefined ? m : String(params[name]),
  );
}

/** A key built at run time (a status, an error code) when it exists, else `fallback`. */
export function tMaybe(key: string, fallback: string): string {
  return key in current ? t(key as MessageKey) : fallback;
}

const moneyFormat = new Intl.NumberFormat('ru-RU', {
  style: 'currency',
  currency: 'KZT',
  currencyDisplay: 'narrowSymbol',
  maximumFractionDigits: 2,
});
const dateFormat = new Intl.DateTimeFormat('ru-RU', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Asia/Almaty',
});

/** Tenge on the wire (a number with at most 2 decimals) as `12 500 ₸`. */
export function money(tenge: number | string | null | undefined): string {
  if (tenge === null || tenge === undefined || tenge === '') return '—';
  return moneyFormat.format(Number(tenge));
}

/** An ISO timestamp in Almaty time. */
export function when(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}
