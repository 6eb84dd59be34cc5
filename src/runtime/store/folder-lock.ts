import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartError } from '../start-error';
import { createPrivateFile, FILE_MODE } from './data-folder';

/** Who holds a data folder: written beside the lock by its holder, read by a runtime the lock refuses. */
interface Holder {
  pid: number;
  address?: string;
}

/** The lock a runtime holds on its data folder for as long as it runs. */
export interface FolderLock {
  /** Records the address the holder listens on, for the message a second runtime gets. */
  announce(address: string): void;
  release(): void;
}

/**
 * Takes the data folder for this process, or throws a StartError naming the folder and the runtime holding it.
 * The lock is SQLite's own exclusive lock (a POSIX record lock) on `runtime.lock`, held by a connection in
 * exclusive locking mode: the OS drops it when the process ends, however it ends, so a crash leaves no stale lock.
 * Two runtimes on one folder would each deliver every bundle.
 */
export function lockDataFolder(dataDir: string): FolderLock {
  const file = join(dataDir, 'runtime.lock');
  const holderFile = join(dataDir, 'runtime.holder.json');
  createPrivateFile(file);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    // The first write takes the exclusive lock, and exclusive locking mode keeps it until the connection closes.
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY, pid INTEGER NOT NULL)');
    db.prepare('INSERT OR REPLACE INTO holder (id, pid) VALUES (1, ?)').run(process.pid);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new StartError(
      `${dataDir} is in use by another runtime (${describeHolder(holderFile)}): two runtimes on one data folder would deliver every bundle twice. ` +
        'Stop that one first, or give this one its own --data folder (and --port).',
    );
  }
  const write = (holder: Holder) => writeFileSync(holderFile, JSON.stringify(holder), { mode: FILE_MODE });
  write({ pid: process.pid });
  return {
    announce: (address) => write({ pid: process.pid, address }),
    release: () => {
      if (!db.open) return;
      rmSync(holderFile, { force: true });
      db.close();
    },
  };
}

function describeHolder(holderFile: string): string {
  try {
    const holder = JSON.parse(readFileSync(holderFile, 'utf8')) as Holder;
    return `pid ${holder.pid}, ${holder.address ? `listening on ${holder.address}` : 'still starting'}`;
  } catch {
    return 'it is still starting';
  }
}
