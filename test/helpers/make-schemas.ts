import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import type { MakeTree } from '../../src/export/make-tree';

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

/** The environment variable naming a local checkout of Make's VS Code extension (integromat/vscode-apps-sdk). */
export const MAKE_EXTENSION_VARIABLE = 'MAKE_APPS_SDK_DIR';

/**
 * Every problem Make's own editor schemas find in an exported tree, read from a checkout of the extension: its
 * `syntaxes/**\/schemas` files, associated with file names exactly as its package.json (`jsonValidation`) says.
 */
export function extensionSchemaProblems(tree: MakeTree, checkout: string): { problems: string[]; checked: number } {
  // The editor's JSON language service reads patterns without the unicode flag (one has `\-` in a class).
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const schemaDirs = [join(checkout, 'syntaxes', 'imljson', 'schemas'), join(checkout, 'syntaxes', 'local-development', 'schemas')];
  // Keyed by file name, so the schemas' references to their siblings (`sources.json#/…`) resolve.
  for (const dir of schemaDirs) readdirSync(dir).filter((file) => file.endsWith('.json')).forEach((file) => ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')), file));
  const manifest = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as { contributes: { jsonValidation: Array<{ fileMatch: string[]; url: string }> } };
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  const associations = manifest.contributes.jsonValidation.flatMap(({ fileMatch, url }) => fileMatch.filter((pattern) => !pattern.includes('/')).map((pattern) => ({ match: glob(pattern), schema: url.split('/').pop()! })));
  const problems: string[] = [];
  let checked = 0;
  for (const [path, text] of tree) {
    const name = path.split('/').pop()!;
    const schemas = [...new Set(associations.filter(({ match }) => match.test(name)).map(({ schema }) => schema))];
    for (const schema of schemas) {
      const validate = ajv.getSchema(schema)!;
      if (!validate(JSON.parse(text))) problems.push(`${path} (${schema}): ${JSON.stringify(validate.errors)}`);
    }
    if (schemas.length > 0) checked += 1;
  }
  return { problems, checked };
}
