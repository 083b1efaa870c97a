import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from 'pg';

import { freePort } from '../../support/server-process';

/**
 * A private PostgreSQL cluster on its own port for tests that stop and restart the database
 * (never the shared one on 5432). Needs the PostgreSQL server binaries; run as root it acts as the
 * `postgres` system user (initdb refuses root).
 */
export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  static async create(): Promise<PgCluster> {
    return PgCluster.createSync(await freePort());
  }

  /** Synchronous, for a module that must set DATABASE_URL before entities load. */
  static createSync(port = 20000 + Math.floor(Math.random() * 30000)): PgCluster {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    const bin = join('/usr/lib/postgresql', versions[0], 'bin');
    const dir = mkdtempSync('/tmp/bibarys-faults-pg-');
    const cluster = new PgCluster(dir, port, bin);
    if (isRoot()) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
    cluster.pg('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    cluster.start();
    return cluster;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** A URL for database `db` of this cluster. */
  url(db = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  async createDatabase(name: string): Promise<string> {
    const c = new Client({ connectionString: this.url() });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${name}`);
    } finally {
      await c.end();
    }
    return this.url(name);
  }

  start(): void {
    this.pg('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'log'),
      '-o',
      `-p ${this.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      '-w',
      '-t',
      '30',
      'start',
    ]);
  }

  /** Stops the database (fast: open sessions are terminated, as in a real restart). */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.pg('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
  }

  /** Stops the cluster if it runs and deletes its files. */
  destroy(): void {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      try {
        this.stop('immediate');
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private pg(tool: string, args: string[]): void {
    const exe = join(this.bin, tool);
    const [cmd, argv] = isRoot()
      ? ['runuser', ['-u', 'postgres', '--', exe, ...args]]
      : [exe, args];
    execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  }
}

const isRoot = () => process.getuid?.() === 0;
const uidOf = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gidOf = (user: string) => Number(execFileSync('id', ['-g', user]).toString().trim());
