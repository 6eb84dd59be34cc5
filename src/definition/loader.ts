import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileDirective } from '../iml';
import { AppFiles } from './app-files';
import { orderLineMapping, orderLinesOf } from './order-lines';
import { outputFromSchema } from './output-mapping';
import { DefinitionError, Problem } from './problems';
import { JsonSchema, resolveSchemaFile } from './schema-resolver';
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

/** What loading found: the definition as far as it could be built, and every problem on the way. */
export interface LoadResult {
  app?: AppDefinition;
  problems: Problem[];
}

/** Loads an app directory, collecting problems instead of stopping at the first one. */
export function inspectApp(dir: string = DEFAULT_APP_DIR): LoadResult {
  const problems: Problem[] = [];
  const files = new AppFiles(resolve(dir), problems);
  if (!existsSync(join(files.dir, 'manifest.json'))) {
    problems.push({ file: 'manifest.json', pointer: '', message: `no manifest.json in ${files.dir}: is --app pointing at an app directory?` });
    return { problems };
  }
  const manifest = files.readChecked<Manifest>('manifest.json', 'manifest');
  if (!manifest) return { problems };
  const { components } = manifest;

  const base = files.readChecked<Communication>(components.base, 'base');
  const connection = files.readChecked<Omit<ConnectionDefinition, 'file'>>(components.connection, 'connection');
  const sharedParameters = files.readChecked<Record<string, Parameter>>(components.parameters, 'parameters') ?? {};
  const webhooks = loadIndexed(files, components.webhooks, 'webhook', (id, file, value) => {
    const webhook = { id, file, ...(value as object) } as WebhookDefinition;
    return webhook.output === undefined ? webhook : { ...webhook, compiledOutput: compileDirective(webhook.output) };
  });
  const rpcs = loadIndexed(files, components.rpcs, 'rpc', (id, file, value) => ({ id, file, ...(value as object) }) as RpcDefinition);
  const catalogue = files.readChecked<{ eventType?: string; events: Record<string, Omit<CatalogueEvent, 'type'>> }>(components.events, 'events');
  const eventType = catalogue?.eventType ?? '{{body.type}}';
  const events: Record<string, CatalogueEvent> = {};
  for (const [type, entry] of Object.entries(catalogue?.events ?? {})) events[type] = { type, ...entry };

  const payloadSchemas: Record<string, JsonSchema> = {};
  for (const [kind, file] of Object.entries(components.payloads)) {
    const schema = resolveSchemaFile(file, (f) => files.read(f), problems);
    if (schema) payloadSchemas[kind] = schema;
  }

  const modules = components.modules
    .map((name) => loadModule(files, name, sharedParameters, events))
    .filter((module): module is ModuleDefinition => module !== undefined);

  if (!base || !connection) return { problems };
  const app: AppDefinition = {
    dir: files.dir,
    manifest,
    base,
    connection: { ...connection, file: components.connection },
    sharedParameters,
    webhooks,
    rpcs,
    events,
    eventType,
    compiledEventType: compileDirective(eventType),
    eventAliases: aliasIndex(events),
    payloadSchemas,
    modules,
  };
  return { app, problems };
}

/** Loads an app for use (map, runtime, export); throws DefinitionError listing every problem. */
export function loadApp(dir: string = DEFAULT_APP_DIR): AppDefinition {
  const { app, problems } = inspectApp(dir);
  if (!app || problems.length > 0) throw new DefinitionError(problems);
  return app;
}

function loadIndexed<T>(
  files: AppFiles,
  index: Record<string, string>,
  meta: 'webhook' | 'rpc',
  build: (id: string, file: string, value: unknown) => T,
): Record<string, T> {
  const result: Record<string, T> = {};
  for (const [id, file] of Object.entries(index)) {
    const value = files.readChecked<unknown>(file, meta);
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
  shared: Record<string, Parameter>,
  events: Record<string, CatalogueEvent>,
): ModuleDefinition | undefined {
  const paths = {
    module: `modules/${name}/module.json`,
    output: `modules/${name}/output.schema.json`,
    samples: `modules/${name}/samples.json`,
  };
  const raw = files.readChecked<RawModule>(paths.module, 'module', name);
  const rawOutput = files.read(paths.output, name);
  const outputConforms = rawOutput !== undefined && files.check(rawOutput, 'output', paths.output, '', name);
  const samples = files.readChecked<Sample[]>(paths.samples, 'samples', name) ?? [];
  if (!raw || !outputConforms) return undefined;

  const output = resolveSchemaFile(paths.output, (file) => files.read(file, name), files.problems, name) ?? {};
  const parameters = raw.parameters.flatMap((entry, index) => {
    if (typeof entry !== 'string') return [entry];
    if (shared[entry]) return [shared[entry]];
    files.problems.push({ file: paths.module, pointer: `/parameters/${index}`, module: name, message: `parameter reference '${entry}' is not defined in connector/parameters.json` });
    return [];
  });
  const referenced = raw.parameters.filter((entry): entry is string => typeof entry === 'string');
  const orderLines = orderLinesOf(raw.orderLines);
  const mapping: BundleMapping = {
    ...orderLineMapping(orderLines, shared, referenced),
    output: outputFromSchema(output, '', (pointer) =>
      files.problems.push({ file: paths.output, pointer, module: name, message: 'field has no x-iml source and no properties to build it from' }),
    ),
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

/** Compiles a mapping's templates once; syntax problems are reported by validation, not here. */
export function compileMapping(mapping: BundleMapping): CompiledMapping {
  const compiled: CompiledMapping = { output: compileDirective(mapping.output) };
  if (mapping.condition) compiled.condition = compileDirective(mapping.condition);
  if (mapping.iterate) {
    compiled.iterate = { container: compileDirective(mapping.iterate.container), enabledBy: mapping.iterate.enabledBy };
    if (mapping.iterate.condition) compiled.iterate.condition = compileDirective(mapping.iterate.condition);
  }
  return compiled;
}
