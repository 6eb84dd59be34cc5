import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import type { MakeTree } from '../../src/export/make-layout';

const makeSchemas = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const dir = join(DEFAULT_APP_DIR, 'schemas', 'make');
  readdirSync(dir).forEach((file) => ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8'))));
  return (name: string) => ajv.getSchema(`https://plugnpaid-connector.local/make/${name}.schema.json`)!;
})();

/** Which of our Make schemas checks an exported file, by its name (as the extension associates them). */
export function schemaFor(path: string): string | undefined {
  if (path === 'makecomapp.json') return 'makecomapp';
  if (path.endsWith('base.iml.json')) return 'base';
  if (path.endsWith('groups.json')) return 'groups';
  if (/\.(communication|attach|detach|update)\.iml\.json$/.test(path)) return 'request';
  if (/\.(params|static-params|mappable-params|interface)\.iml\.json$/.test(path)) return 'parameters';
  if (path.endsWith('.samples.iml.json')) return 'samples';
  if (path.endsWith('scope.iml.json')) return 'scope';
  return undefined;
}

/** Every problem our Make schemas find in an exported tree, as `path: errors`; the number of files checked. */
export function makeSchemaProblems(tree: MakeTree): { problems: string[]; checked: number } {
  const problems: string[] = [];
  let checked = 0;
  for (const [path, text] of tree) {
    const schema = schemaFor(path);
    if (!schema) continue;
    const validate = makeSchemas(schema);
    if (!validate(JSON.parse(text))) problems.push(`${path}: ${JSON.stringify(validate.errors)}`);
    checked += 1;
  }
  return { problems, checked };
}
