import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { compileDirective } from '../iml';
import { splitBase } from './api-rate';
import { AppFiles, Reference } from './app-files';
import { orderLineMapping, orderLinesOf } from './order-lines';
import { outputFromSchema } from './output-mapping';
import { DefinitionError, Problem } from './problems';
import { reportProblems } from './report';
import { JsonSchema, originOf, resolveSchemaFile } from './schema-resolver';
import { didYouMean, nearestNames } from './suggest';
import type {
  AppDefinition,
  BundleMapping,
  CatalogueEvent,
  Communication,
  CompiledMapping,
  ConnectionDefinition,
  Manifest,
  ModuleDefinition,
  OrderLines,
  Parameter,
  RpcDefinition,
  Sample,
  WebhookDefinition,
} from './types';

/** The app shipped in this package (the Plug&Paid connector). */
export const DEFAULT_APP_DIR = resolve(__dirname, '..', '..');

/** What could not be loaded, so the rules that need it are skipped instead of reporting its absence again. */
export interface LoadGaps {
  /** The event catalogue could not be read or checked. */
  catalogue: boolean;
}

/** What loading found: the definition as far as it could be built, and every problem on the way. */
export interface LoadResult {
  app?: AppDefinition;
  problems: Problem[];
  /** The app's files as read, for locating problems (line:column). */
  files: AppFiles;
  gaps: LoadGaps;
  /** False when the folder is not an app at all (no manifest.json, or it cannot be read). */
  usable: boolean;
}

const MANIFEST = 'manifest.json';

/** "there is no folder …", with the nearest folder beside it when the name looks mistyped. */
function missingFolderMessage(dir: string): string {
  const parent = dirname(dir);
  const siblings = existsSync(parent) ? readdirSync(parent, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name) : [];
  const [guess] = nearestNames(basename(dir), siblings, 1);
  return `there is no folder ${dir}${guess ? `; did you mean ${join(parent, guess)}?` : ''} (--app names an app's folder, the one holding manifest.json)`;
}

/** Loads an app directory, collecting problems instead of stopping at the first one. */
export function inspectApp(dir: string = DEFAULT_APP_DIR): LoadResult {
  const problems: Problem[] = [];
  const files = new AppFiles(resolve(dir), problems);
  const gaps: LoadGaps = { catalogue: false };
  if (!existsSync(files.dir)) {
    problems.push({ file: MANIFEST, pointer: '', message: missingFolderMessage(files.dir) });
    return { problems, files, gaps, usable: false };
  }
  const manifestRead = files.tryRead(MANIFEST);
  if ('missing' in manifestRead) {
    problems.push({ file: MANIFEST, pointer: '', message: `no manifest.json in ${files.dir}: is --app pointing at an app directory?` });
    return { problems, files, gaps, usable: false };
  }
  if ('broken' in manifestRead) return { problems, files, gaps, usable: !manifestRead.unreadable };
  const manifest = files.readChecked<Manifest>(MANIFEST, 'manifest');
  if (!manifest) return { problems, files, gaps, usable: true };
  const { components } = manifest;
  const named = (pointer: string) => ({ file: MANIFEST, pointer: `/components${pointer}` });

  const baseFile = files.read(components.base, undefined, named('/base'));
  const { request, rate } = baseFile === undefined ? { request: undefined, rate: undefined } : splitBase(baseFile, components.base, problems);
  const base = request !== undefined && files.check(request, 'base', components.base) ? (request as Communication) : undefined;
  const connection = files.readChecked<Omit<ConnectionDefinition, 'file'>>(components.connection, 'connection', undefined, named('/connection'));
  const sharedParameters = files.readChecked<Record<string, Parameter>>(components.parameters, 'parameters', undefined, named('/parameters'));
  const webhooks = loadIndexed(files, components.webhooks, 'webhook', '/webhooks', (id, file, value) => {
    const webhook = { id, file, ...(value as object) } as WebhookDefinition;
    return webhook.output === undefined ? webhook : { ...webhook, compiledOutput: compileDirective(webhook.output) };
  });
  const rpcs = loadIndexed(files, components.rpcs, 'rpc', '/rpcs', (id, file, value) => ({ id, file, ...(value as object) }) as RpcDefinition);
  const catalogue = files.readChecked<{ eventType?: string; events: Record<string, Omit<CatalogueEvent, 'type'>> }>(components.events, 'events', undefined, named('/events'));
  gaps.catalogue = catalogue === undefined;
  const eventType = catalogue?.eventType ?? '{{body.type}}';
  const events: Record<string, CatalogueEvent> = {};
  for (const [type, entry] of Object.entries(catalogue?.events ?? {})) events[type] = { type, ...entry };

  const payloadSchemas: Record<string, JsonSchema> = {};
  for (const [kind, file] of Object.entries(components.payloads)) {
    const schema = resolveSchemaFile(file, 'payload', files, problems, undefined, named(`/payloads/${kind}`));
    if (schema) payloadSchemas[kind] = schema;
  }

  const folders = moduleFolders(files.dir);
  const modules = components.modules
    .map((name, index) => {
      const entry = named(`/modules/${index}`);
      if (folders.includes(name)) return loadModule(files, name, entry, sharedParameters, events);
      problems.push({ ...entry, message: `module '${name}' has no folder modules/${name}`, ...suggestion(name, folders.filter((folder) => !components.modules.includes(folder))) });
      return undefined;
    })
    .filter((module): module is ModuleDefinition => module !== undefined);

  const apiAnswers = components.apiSamples ? files.readChecked<Record<string, unknown>>(components.apiSamples, 'api-samples', undefined, named('/apiSamples')) : undefined;

  if (!base || !rate || !connection) return { problems, files, gaps, usable: true };
  const app: AppDefinition = {
    dir: files.dir,
    manifest,
    base,
    apiRate: rate,
    connection: { ...connection, file: components.connection },
    sharedParameters: sharedParameters ?? {},
    webhooks,
    rpcs,
    events,
    eventType,
    compiledEventType: compileDirective(eventType),
    eventAliases: aliasIndex(events),
    payloadSchemas,
    modules,
    ...(components.apiSamples && apiAnswers ? { apiSamples: { file: components.apiSamples, answers: apiAnswers } } : {}),
  };
  return { app, problems, files, gaps, usable: true };
}

function moduleFolders(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'modules'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function suggestion(name: string, known: string[]): { suggestion?: string } {
  const text = didYouMean(name, known);
  return text ? { suggestion: text } : {};
}

/** Loads an app for use (map, runtime, export); throws DefinitionError listing every error (warnings do not stop it). */
export function loadApp(dir: string = DEFAULT_APP_DIR): AppDefinition {
  const { app, problems, files } = inspectApp(dir);
  const errors = reportProblems(problems, files).filter((problem) => problem.severity === 'error');
  if (!app || errors.length > 0) throw new DefinitionError(errors);
  return app;
}

function loadIndexed<T>(
  files: AppFiles,
  index: Record<string, string>,
  meta: 'webhook' | 'rpc',
  at: string,
  build: (id: string, file: string, value: unknown) => T,
): Record<string, T> {
  const result: Record<string, T> = {};
  for (const [id, file] of Object.entries(index)) {
    const value = files.readChecked<unknown>(file, meta, undefined, { file: MANIFEST, pointer: `/components${at}/${id}` });
    if (value !== undefined) result[id] = build(id, file, value);
  }
  return result;
}

function aliasIndex(events: Record<string, CatalogueEvent>): Record<string, string> {
  const index: Record<string, string> = {};
  for (const event of Object.values(events)) {
    index[event.type] = event.type;
    event.aliases.forEach((alias) => (index[alias] = event.type));
  }
  return index;
}

interface RawModule {
  label: string;
  description: string;
  group: string;
  webhook: string;
  orderLines?: string | OrderLines;
  communication?: Communication;
  parameters: Array<string | Parameter>;
}

function loadModule(
  files: AppFiles,
  name: string,
  entry: Reference,
  shared: Record<string, Parameter> | undefined,
  events: Record<string, CatalogueEvent>,
): ModuleDefinition | undefined {
  const paths = {
    module: `modules/${name}/module.json`,
    output: `modules/${name}/output.schema.json`,
    samples: `modules/${name}/samples.json`,
  };
  const raw = files.readChecked<RawModule>(paths.module, 'module', name, entry);
  const output = resolveSchemaFile(paths.output, 'output', files, files.problems, name, entry);
  const samples = loadSamples(files, paths.samples, name, entry);
  if (!raw || !output) return undefined;
  const parameters = raw.parameters.flatMap((entry, index) => {
    if (typeof entry !== 'string') return [entry];
    // Shared parameters that could not be loaded are reported once, in their own file.
    if (!shared) return [];
    if (shared[entry]) return [shared[entry]];
    files.problems.push({ file: paths.module, pointer: `/parameters/${index}`, module: name, message: `parameter reference '${entry}' is not defined in connector/parameters.json`, ...suggestion(entry, Object.keys(shared)) });
    return [];
  });
  const referenced = raw.parameters.filter((entry): entry is string => typeof entry === 'string');
  const orderLines = orderLinesOf(raw.orderLines);
  const mapping: BundleMapping = {
    ...orderLineMapping(orderLines, shared ?? {}, referenced),
    output: outputFromSchema(output, '', (pointer, field) => {
      const place = originOf(field) ?? { file: paths.output, pointer };
      files.problems.push({ file: place.file, pointer: place.pointer, module: name, message: 'field has no x-iml source and no properties to build it from' });
    }),
  };
  return {
    name,
    label: raw.label,
    description: raw.description,
    group: raw.group,
    webhook: raw.webhook,
    parameters,
    orderLines,
    ...(raw.communication ? { communication: raw.communication } : {}),
    events: Object.values(events).filter((event) => event.modules.includes(name)).map((event) => event.type),
    output,
    mapping,
    compiled: compileMapping(mapping),
    samples,
    files: paths,
  };
}

// A trigger without samples can still run; Make's review expects sample output, and validate has nothing to check
// its mapping against, so it is a warning at the module's entry in the manifest.
function loadSamples(files: AppFiles, file: string, module: string, entry: Reference): Sample[] {
  const read = files.tryRead(file, module);
  if ('missing' in read) {
    files.problems.push({ ...entry, severity: 'warning', module, message: `trigger '${module}' has no samples: add ${file} with at least two payloads and the bundles they make (Make's app review expects sample output)` });
    return [];
  }
  if ('broken' in read) return [];
  return files.check(read.value, 'samples', file, '', module) ? (read.value as Sample[]) : [];
}

/** Compiles a mapping's templates once; syntax problems are reported by validation, not here. */
export function compileMapping(mapping: BundleMapping): CompiledMapping {
  const compiled: CompiledMapping = { output: compileDirective(mapping.output) };
  if (mapping.condition) compiled.condition = compileDirective(mapping.condition);
  if (mapping.iterate) {
    compiled.iterate = { container: compileDirective(mapping.iterate.container) };
    if (mapping.iterate.condition) compiled.iterate.condition = compileDirective(mapping.iterate.condition);
  }
  return compiled;
}
