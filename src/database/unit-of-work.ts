import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs write transactions. SQLite has one connection: two transactions that interleave on it
 * corrupt each other, so on SQLite every write goes through one queue. PostgreSQL runs them in
 * parallel and retries the rare serialization failure or deadlock.
 *
 * Rule: the callback touches only the database (no HTTP, timers or hashing inside).
 */
@Injectable()
export class UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();
  readonly isSqlite: boolean;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.runPostgres(work);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async runPostgres<T>(work: (em: EntityManager) => Promise<T>, attempt = 1): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if ((code === '40001' || code === '40P01') && attempt < 4) {
        return this.runPostgres(work, attempt + 1);
      }
      throw e;
    }
  }
}
