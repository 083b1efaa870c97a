import { Injectable } from '@nestjs/common';

/** The time, behind a port so that specs can hold it still. */
@Injectable()
export class FinanceClock {
  now(): Date {
    return new Date();
  }
}
