import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols, no 0/O/1/I

/**
 * The order reference: `BB-` + 12 symbols of a 32-letter alphabet from the CSPRNG (60 random
 * bits), so one reference says nothing about another. A port, so tests may swap it.
 */
@Injectable()
export class TrackingNumbers {
  next(): string {
    const bytes = randomBytes(12);
    let s = '';
    for (const b of bytes) s += ALPHABET[b & 31];
    return `BB-${s}`;
  }
}
