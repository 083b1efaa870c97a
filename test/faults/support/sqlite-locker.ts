import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

const SCRIPT = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { timeout: 0 });
db.pragma('journal_mode = WAL');
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
process.stdin.once('data', () => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\\n');
  process.exit(0);
});
`;

/**
 * Another process that holds the write lock of a SQLite file (`BEGIN EXCLUSIVE` through
 * better-sqlite3) until release() is called, as a backup job or a second server would.
 */
export class SqliteLocker {
  private constructor(private readonly child: ChildProcess) {}

  static async lock(path: string): Promise<SqliteLocker> {
    const child = spawn(process.execPath, ['-e', SCRIPT, path], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (b: Buffer) => {
        if (b.toString().includes('locked')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`locker exited (${code}): ${err}`)));
    });
    return new SqliteLocker(child);
  }

  /** Commits the empty transaction and waits for the locker to leave. */
  async release(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.write('release\n');
    await gone;
  }
}

interface SqliteDb {
  prepare(sql: string): {
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
  close(): void;
}
// better-sqlite3 ships no type declarations and @types/better-sqlite3 is not installed
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (path: string, o?: object) => SqliteDb;

/** Runs one read-only query on the SQLite file from the test process. */
export function sqliteRows<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true, timeout: 5000 });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
