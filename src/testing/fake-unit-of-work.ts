import type { Tx, UnitOfWork } from '../database/unit-of-work';

/**
 * A UnitOfWork for unit specs: runs the work at once with a handle that is not a database, so a
 * service that queries through it instead of through its repositories fails loudly. `runs` counts
 * the transactions the service opened; `tx` is the handle it passed, to check what the repository
 * fakes were called with.
 */
export class FakeUnitOfWork {
  readonly isSqlite = true;
  readonly tx = new Proxy(
    {},
    {
      get: (_, key) => {
        if (key === 'then') return undefined; // not a promise
        throw new Error(`a service used the transaction handle directly (.${String(key)})`);
      },
    },
  ) as Tx;
  runs = 0;
  /** The `run` options of each call, in order. */
  readonly options: unknown[] = [];

  run<T>(work: (tx: Tx) => Promise<T>, opts: unknown = {}): Promise<T> {
    this.runs++;
    this.options.push(opts);
    return work(this.tx);
  }

  /** As the real one on SQLite: a transaction like `run`. */
  statements<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(work);
  }

  /** Typed as the real one, for constructors. */
  asUnitOfWork(): UnitOfWork {
    return this as unknown as UnitOfWork;
  }
}
