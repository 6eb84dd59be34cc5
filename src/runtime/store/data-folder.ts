import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folder and file modes of a data folder: it holds webhook secrets, signing secrets and customers' data. */
export const FOLDER_MODE = 0o700;
export const FILE_MODE = 0o600;

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');
const ownedByUs = (uid: number) => typeof process.getuid !== 'function' || process.getuid() === uid;

/**
 * Makes the data folder private whatever the umask: created 0700, or tightened to 0700 (and its files to 0600)
 * when this user owns it. Answers what it changed or could not change, for the runtime to say at start.
 */
export function makeDataFolderPrivate(dataDir: string): string[] {
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
    chmodSync(dataDir, FOLDER_MODE);
    return [];
  }
  const notices: string[] = [];
  const folder = statSync(dataDir);
  if ((folder.mode & 0o077) !== 0) {
    if (ownedByUs(folder.uid)) {
      chmodSync(dataDir, FOLDER_MODE);
      notices.push(`${dataDir} was open to other users (mode ${octal(folder.mode)}); made it ${octal(FOLDER_MODE)}, as it holds webhook secrets and customers' data`);
    } else {
      notices.push(`${dataDir} is open to other users (mode ${octal(folder.mode)}) and belongs to another user; have its owner run chmod 700 on it`);
    }
  }
  const loose: string[] = [];
  for (const name of readdirSync(dataDir)) {
    const file = statSync(join(dataDir, name));
    if (!file.isFile() || (file.mode & 0o077) === 0 || !ownedByUs(file.uid)) continue;
    chmodSync(join(dataDir, name), FILE_MODE);
    loose.push(name);
  }
  if (loose.length > 0) notices.push(`made ${loose.join(', ')} in ${dataDir} readable by this user only (mode ${octal(FILE_MODE)})`);
  return notices;
}

/** Creates `file` empty with mode 0600 when it does not exist, so whatever writes it later keeps it private. */
export function createPrivateFile(file: string): void {
  if (existsSync(file)) return;
  closeSync(openSync(file, 'a', FILE_MODE));
  chmodSync(file, FILE_MODE);
}
