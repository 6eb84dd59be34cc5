import { join } from 'node:path';
import { formatProblem, Problem } from './problems';
import { readJsonFile } from './json-file';
import { describeAjvError, usefulErrors } from './ajv';
import { MetaSchemaName, metaValidator } from './meta-schemas';

/** Reads an app's JSON files once each, recording parse problems, and checks them against meta-schemas. */
export class AppFiles {
  private readonly cache = new Map<string, unknown>();

  constructor(
    readonly dir: string,
    readonly problems: Problem[],
  ) {}

  /** The parsed file (app-relative path), or undefined after recording why it cannot be read. */
  read(file: string, module?: string): unknown {
    if (this.cache.has(file)) return this.cache.get(file);
    const result = readJsonFile(join(this.dir, file));
    const value = result.ok ? result.value : undefined;
    if (!result.ok) this.problems.push({ file, pointer: '', module, message: result.message });
    this.cache.set(file, value);
    return value;
  }

  /** Reads a file and checks it against a meta-schema; returns the value only when it conforms. */
  readChecked<T>(file: string, meta: MetaSchemaName, module?: string): T | undefined {
    const value = this.read(file, module);
    if (value === undefined) return undefined;
    return this.check(value, meta, file, '', module) ? (value as T) : undefined;
  }

  /** Checks a value against a meta-schema, recording each violation with its pointer. */
  check(value: unknown, meta: MetaSchemaName, file: string, pointer = '', module?: string): boolean {
    const validate = metaValidator(meta);
    if (validate(value)) return true;
    for (const error of usefulErrors(validate.errors)) {
      this.problems.push({ file, pointer: pointer + error.instancePath, module, message: describeAjvError(error) });
    }
    return false;
  }

  /** A one-line summary of every problem so far. */
  summary(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}
