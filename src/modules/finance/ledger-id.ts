import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * A UUID (version 7 layout) whose text sorts in the order this process made them: 48 bits of
 * milliseconds, then a 12-bit counter within the millisecond, then random bits. Ledger pages
 * order by (created_at, id), and entries written in the same millisecond (a sale and its
 * commission, adjustments in a burst) keep the order they were written in. Compared as text on
 * SQLite and as bytes on PostgreSQL, which agree for lower-case hex.
 */
export function ledgerId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs++; // more than 4096 in one millisecond: borrow the next one, order still holds
    counter = 0;
  }
  const hex = lastMs.toString(16).padStart(12, '0');
  const rnd = randomBytes(8);
  rnd[0] = (rnd[0] & 0x3f) | 0x80; // RFC 9562 variant
  const r = rnd.toString('hex');
  const seq = counter.toString(16).padStart(3, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${seq}-${r.slice(0, 4)}-${r.slice(4, 16)}`;
}
