import { isRecord } from '../iml/values';
import { violations } from '../mapping/bundle-validator';
import { mapWithModule, payloadViolations } from '../mapping/map-event';
import { eventOfBody, eventTypeOf, mappingInput } from '../mapping/route';
import { BUNDLE_PER_ORDER_LINE, PRODUCT_FILTER } from './order-lines';
import type { Problem } from './problems';
import type { JsonSchema } from './schema-resolver';
import { templateProblems } from './template-check';
import type { AppDefinition, ModuleDefinition, Parameter } from './types';

/** Cross-file rules that need the whole loaded app; each returns the problems it finds. */
export const appRules: Array<(app: AppDefinition) => Problem[]> = [
  moduleReferences,
  rpcReferences,
  catalogueCoverage,
  communicationTemplates,
  outputTemplates,
  outputLabels,
  orderLineSource,
  sampleConformance,
];

function moduleReferences(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) =>
    app.webhooks[module.webhook]
      ? []
      : [{ file: module.files.module, pointer: '/webhook', module: module.name, message: `webhook '${module.webhook}' does not exist (known: ${Object.keys(app.webhooks).join(', ') || 'none'})` }],
  );
}

function rpcReferences(app: AppDefinition): Problem[] {
  const check = (parameters: Parameter[], file: string, pointer: (index: number) => string, module?: string): Problem[] =>
    parameters.flatMap((parameter, index) => {
      const match = typeof parameter.options === 'string' ? /^rpc:\/\/(.+)$/.exec(parameter.options) : null;
      if (!match || app.rpcs[match[1]]) return [];
      return [{ file, pointer: pointer(index), module, message: `parameter '${parameter.name}' uses RPC '${match[1]}', which does not exist (known: ${Object.keys(app.rpcs).join(', ') || 'none'})` }];
    });
  const shared = Object.entries(app.sharedParameters);
  return [
    ...check(app.connection.parameters, app.connection.file, (i) => `/parameters/${i}/options`),
    ...Object.values(app.webhooks).flatMap((webhook) => check(webhook.parameters, webhook.file, (i) => `/parameters/${i}/options`)),
    ...check(shared.map(([, parameter]) => parameter), app.manifest.components.parameters, (i) => `/${shared[i][0]}/options`),
    ...app.modules.flatMap((module) =>
      check(module.parameters.filter((parameter) => !Object.values(app.sharedParameters).includes(parameter)), module.files.module, () => '/parameters', module.name),
    ),
  ];
}

function catalogueCoverage(app: AppDefinition): Problem[] {
  const file = app.manifest.components.events;
  const problems: Problem[] = [];
  const moduleNames = new Set(app.modules.map((module) => module.name));
  const claimed = new Map<string, string>();
  for (const event of Object.values(app.events)) {
    const at = `/events/${event.type}`;
    event.modules.forEach((name, index) => {
      if (!moduleNames.has(name)) problems.push({ file, pointer: `${at}/modules/${index}`, message: `module '${name}' is not in manifest.json's module list` });
    });
    if (event.modules.length === 0 && !event.unwatched) {
      problems.push({ file, pointer: at, message: `no module watches event '${event.type}': add a module, or mark it "unwatched": true` });
    }
    if (event.modules.length > 0 && event.unwatched) {
      problems.push({ file, pointer: `${at}/unwatched`, message: `event '${event.type}' is marked unwatched but lists modules` });
    }
    if (!app.payloadSchemas[event.payload]) {
      problems.push({ file, pointer: `${at}/payload`, message: `payload kind '${event.payload}' has no schema in manifest.json components.payloads` });
    }
    for (const name of [event.type, ...event.aliases]) {
      const owner = claimed.get(name);
      if (owner && owner !== event.type) problems.push({ file, pointer: `${at}/aliases`, message: `'${name}' is already used by event '${owner}'` });
      claimed.set(name, event.type);
    }
  }
  for (const module of app.modules) {
    if (module.events.length === 0) {
      problems.push({ file, pointer: '/events', module: module.name, message: `no event in the catalogue routes to module '${module.name}'` });
    }
  }
  return problems;
}

function communicationTemplates(app: AppDefinition): Problem[] {
  return [
    ...templateProblems(app.base, app.manifest.components.base, ''),
    ...templateProblems(app.connection.communication, app.connection.file, '/communication'),
    ...Object.values(app.rpcs).flatMap((rpc) => templateProblems(rpc.communication, rpc.file, '/communication')),
    ...Object.values(app.webhooks).flatMap((webhook) => [
      ...templateProblems(webhook.output ?? {}, webhook.file, '/output'),
      ...templateProblems(webhook.verification ?? {}, webhook.file, '/verification'),
    ]),
    ...app.modules.flatMap((module) => templateProblems(module.communication ?? {}, module.files.module, '/communication', module.name)),
    ...templateProblems(app.eventType, app.manifest.components.events, '/eventType'),
  ];
}

function outputTemplates(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) => [
    ...walkFields(module.output, '', (field, pointer) =>
      typeof field['x-iml'] === 'string' ? templateProblems(field['x-iml'], module.files.output, `${pointer}/x-iml`, module.name) : [],
    ),
    ...templateProblems(module.mapping.condition ?? '', module.files.module, '/orderLines', module.name),
    ...templateProblems(module.mapping.iterate ?? {}, module.files.module, '/orderLines', module.name),
  ]);
}

function outputLabels(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) =>
    walkFields(module.output, '', (field, pointer) =>
      pointer !== '' && (typeof field.title !== 'string' || field.title.trim() === '')
        ? [{ file: module.files.output, pointer, module: module.name, message: 'output field has no label: give it a "title"' }]
        : [],
    ),
  );
}

function orderLineSource(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) => {
    const usesLines = module.parameters.some((p) => p === app.sharedParameters[PRODUCT_FILTER] || p === app.sharedParameters[BUNDLE_PER_ORDER_LINE]);
    return usesLines && !module.orderLines
      ? [{ file: module.files.module, pointer: '/orderLines', module: module.name, message: 'the product filter and per-line bundles need "orderLines": the IML of the order lines in the payload' }]
      : [];
  });
}

function sampleConformance(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) => module.samples.flatMap((sample, index) => sampleProblems(app, module, sample, `/${index}`)));
}

function sampleProblems(app: AppDefinition, module: ModuleDefinition, sample: ModuleDefinition['samples'][number], at: string): Problem[] {
  const file = module.files.samples;
  const problem = (pointer: string, message: string): Problem => ({ file, pointer, module: module.name, message });
  const event = eventOfBody(app, sample.payload);
  if (!event || !event.modules.includes(module.name)) {
    return [problem(`${at}/payload`, `event type '${String(eventTypeOf(app, sample.payload))}' is not one this module watches (${module.events.join(', ')})`)];
  }
  if (module.communication && sample.response === undefined) {
    return [problem(at, 'this module fetches its data from the API: give the API\'s answer to its request as "response"')];
  }
  const problems = payloadViolations(app, sample.payload).map((v) => problem(`${at}/payload${v.pointer}`, `payload ${v.message}`));
  sample.bundles.forEach((bundle, index) => {
    for (const violation of violations(module.output, bundle)) {
      problems.push(problem(`${at}/bundles/${index}${violation.pointer}`, `does not match the output schema: ${violation.message}`));
    }
  });
  const mapped = mapWithModule(module, mappingInput(app, module, sample.payload), { parameters: sample.parameters, response: sample.response });
  if (!mapped.ok) return [...problems, problem(`${at}/payload`, `mapping failed: ${mapped.error}`)];
  const actual = mapped.bundles.map((bundle) => bundle.data);
  if (JSON.stringify(actual) !== JSON.stringify(sample.bundles)) {
    problems.push(problem(`${at}/bundles`, `the mapping makes different bundles from this payload: ${JSON.stringify(actual)}`));
  }
  return problems;
}


/** Visits every field of a resolved schema with its pointer (properties and array items). */
export function walkFields(schema: JsonSchema, pointer: string, visit: (field: JsonSchema, pointer: string) => Problem[]): Problem[] {
  const found = visit(schema, pointer);
  if (isRecord(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) {
      if (isRecord(child)) found.push(...walkFields(child, `${pointer}/properties/${name}`, visit));
    }
  }
  if (isRecord(schema.items)) found.push(...walkFields(schema.items, `${pointer}/items`, visit));
  return found;
}
