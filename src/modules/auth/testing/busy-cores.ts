import { ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Processes at the normal policy that keep every core busy, for tests of SCHED_IDLE threads. */
export interface BusyCores {
  stop(): void;
}

/**
 * One spinning process per core, resolved once each of them says it spins: a SCHED_IDLE thread
 * then gets about 0.3 % of a core. (Spawned but not yet spinning, they would leave a core free for
 * the first tens of milliseconds, enough for a fast hash to finish unrescued.)
 */
export async function busyCores(): Promise<BusyCores> {
  const hogs: ChildProcess[] = [];
  const stop = () => {
    for (const h of hogs) h.kill('SIGKILL');
  };
  try {
    await Promise.all(
      Array.from({ length: availableParallelism() }, () => {
        const hog = spawn(
          process.execPath,
          ['-e', 'process.stdout.write("spinning\\n"); for (;;) {}'],
          {
            stdio: ['ignore', 'pipe', 'ignore'],
          },
        );
        hogs.push(hog);
        return new Promise<void>((resolve, reject) => {
          hog.stdout!.once('data', () => resolve());
          hog.once('error', reject);
          hog.once('exit', (code) => reject(new Error(`a busy-core process exited (${code})`)));
        });
      }),
    );
  } catch (e) {
    stop();
    throw e;
  }
  return { stop };
}
