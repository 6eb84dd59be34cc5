import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import type { ReportedProblem } from '../../src/definition/problems';
import { validateApp } from '../../src/definition/validate';

/** A throw-away copy of the shipped app (or of another app folder), to break one thing in and validate. */
export class AppCopy {
  readonly dir = mkdtempSync(join(tmpdir(), 'plugnpaid-app-'));

  constructor(source = DEFAULT_APP_DIR) {
    for (const part of ['manifest.json', 'connector', 'modules', 'schemas']) {
      cpSync(join(source, part), join(this.dir, part), { recursive: true });
    }
  }

  /** Reads a JSON file of the copy. */
  read<T = any>(file: string): T {
    return JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as T;
  }

  /** Rewrites a JSON file of the copy through `change`. */
  edit<T = any>(file: string, change: (value: T) => void): void {
    const value = this.read<T>(file);
    change(value);
    writeFileSync(join(this.dir, file), JSON.stringify(value, null, 2));
  }

  /** Writes raw text (for broken JSON). */
  write(file: string, text: string): void {
    writeFileSync(join(this.dir, file), text);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Breaks one thing in a copy of the app and returns what validation says. */
export function problemsAfter(change: (app: AppCopy) => void): ReportedProblem[] {
  const copy = new AppCopy();
  try {
    change(copy);
    return validateApp(copy.dir).problems;
  } finally {
    copy.remove();
  }
}
