import { join } from 'node:path';
import type { Problem } from './problems';
import { readJsonFile } from './json-file';
import { describeAjvError, suggestionFor, pointerOf, usefulErrors } from './ajv';
import { MetaSchemaName, metaValidator } from './meta-schemas';
import { JsonSource } from './source-map';

/** Where a file is named (a manifest component, a $ref): a missing file is reported there, where the fix is. */
export interface Reference {
  file: string;
  pointer: string;
}

/** The outcome of reading an app file: its value, or that it is missing, or that it is broken (already reported). */
export type FileRead = { value: unknown } | { missing: true } | { broken: true; unreadable: boolean };

interface Entry {
  read: FileRead;
  source?: JsonSource;
  /** The problem that says why the file cannot be used, shared by every module that needs the file. */
  failure?: Problem;
  failureMessage?: string;
}

/**
 * Reads an app's JSON files once each, records why a file cannot be used (once, however many modules need it,
 * listing them), and checks files against the engine's meta-schemas.
 */
export class AppFiles {
  private readonly cache = new Map<string, Entry>();
  /** What each shared file's meta-schema check found, so a file many modules use is checked once. */
  private readonly checks = new Map<string, Problem[]>();

  constructor(
    readonly dir: string,
    readonly problems: Problem[],
  ) {}

  /** Reads a file; a broken one is reported once (naming the modules that needed it), a missing one is left to the caller. */
  tryRead(file: string, module?: string): FileRead {
    let entry = this.cache.get(file);
    if (!entry) {
      const result = readJsonFile(join(this.dir, file));
      if (result.ok) {
        entry = { read: { value: result.value }, source: result.source };
      } else if (result.reason === 'missing') {
        entry = { read: { missing: true } };
      } else {
        const failure: Problem = { file, pointer: '', message: result.message, ...(result.position ? { at: result.position } : {}) };
        entry = { read: { broken: true, unreadable: result.reason === 'unreadable' }, failure, failureMessage: result.message };
        this.problems.push(failure);
      }
      this.cache.set(file, entry);
    }
    if (entry.failure && module) this.addDependent(entry, module);
    return entry.read;
  }

  /** The parsed file, or undefined after recording why not (a missing file at `from` when given, else at itself). */
  read(file: string, module?: string, from?: Reference): unknown {
    const result = this.tryRead(file, module);
    if ('value' in result) return result.value;
    if ('missing' in result) this.reportMissing(file, module, from);
    return undefined;
  }

  /** Reads a file and checks it against a meta-schema; returns the value only when it conforms. */
  readChecked<T>(file: string, meta: MetaSchemaName, module?: string, from?: Reference): T | undefined {
    const value = this.read(file, module, from);
    if (value === undefined) return undefined;
    return this.check(value, meta, file, '', module) ? (value as T) : undefined;
  }

  /** Checks a value against a meta-schema, recording each violation at its pointer (with a suggestion for a typo). */
  check(value: unknown, meta: MetaSchemaName, file: string, pointer = '', module?: string): boolean {
    const validate = metaValidator(meta);
    if (validate(value)) return true;
    for (const error of usefulErrors(validate.errors)) {
      const suggestion = suggestionFor(error);
      this.problems.push({ file, pointer: pointer + pointerOf(error), module, message: describeAjvError(error), ...(suggestion ? { suggestion } : {}) });
    }
    return false;
  }

  /**
   * Whether a file that was read conforms to a meta-schema, checked once; its problems are recorded again for
   * each module that needs it, so the report lists them all on the one problem.
   */
  conforms(file: string, meta: MetaSchemaName, module?: string): boolean {
    const key = `${meta} ${file}`;
    let found = this.checks.get(key);
    if (!found) {
      const read = this.tryRead(file);
      const own: Problem[] = [];
      if ('value' in read) new AppFiles(this.dir, own).check(read.value, meta, file);
      found = own;
      this.checks.set(key, found);
    }
    this.problems.push(...found.map((problem) => (module ? { ...problem, module } : problem)));
    return found.length === 0;
  }

  /** The text of a file that was read, for turning pointers into line:column. */
  source(file: string): JsonSource | undefined {
    if (!this.cache.has(file)) this.tryRead(file);
    return this.cache.get(file)?.source;
  }

  private reportMissing(file: string, module: string | undefined, from: Reference | undefined): void {
    const problem: Problem = from
      ? { file: from.file, pointer: from.pointer, message: `${file} does not exist` }
      : { file, pointer: '', message: 'file not found' };
    this.problems.push(module ? { ...problem, module } : problem);
  }

  // A broken file is one problem, whatever needs it: it lists the modules it holds back, and says they were skipped.
  private addDependent(entry: Entry, module: string): void {
    const failure = entry.failure!;
    const modules = (failure.modules ??= []);
    if (!modules.includes(module)) modules.push(module);
    const count = modules.length;
    failure.message = `${entry.failureMessage}; the ${count === 1 ? 'module' : `${count} modules`} that use${count === 1 ? 's' : ''} it ${count === 1 ? 'was' : 'were'} not checked further`;
  }
}
