import { violations } from '../mapping/bundle-validator';
import { apiSampleProblems } from './api-sample-rules';
import { mapWithModule, payloadViolations } from '../mapping/map-event';
import { eventOfBody, eventTypeOf, mappingInput } from '../mapping/route';
import { bundleDifferences, describeDifferences } from './bundle-diff';
import { conventionRules } from './conventions';
import { freshDeliveryProblems } from './fresh-delivery-rules';
import type { LoadGaps } from './loader';
import { BUNDLE_PER_ORDER_LINE, PRODUCT_FILTER } from './order-lines';
import { parameterProblems } from './parameter-check';
import { sampleCarried, samplePathProblems } from './sample-paths';
import type { Problem } from './problems';
import { originOf } from './schema-resolver';
import { didYouMean, nearestNames } from './suggest';
import { templateProblems, templateTextProblems } from './template-check';
import { walkFields } from './walk-fields';
import type { AppDefinition, ModuleDefinition, Parameter } from './types';

/** A cross-file rule: the problems it finds in the loaded app, skipping what could not be loaded. */
export type AppRule = (app: AppDefinition, gaps: LoadGaps) => Problem[];

/** Cross-file rules that need the whole loaded app; each returns the problems it finds. */
export const appRules: AppRule[] = [
  moduleReferences,
  rpcReferences,
  catalogueCoverage,
  communicationTemplates,
  outputTemplates,
  samplePaths,
  orderLineSource,
  sampleConformance,
  apiSampleProblems,
  freshDeliveryProblems,
  ...conventionRules,
];

function withSuggestion(problem: Problem, name: string, known: Iterable<string>): Problem {
  const suggestion = didYouMean(name, known);
  return suggestion ? { ...problem, suggestion } : problem;
}

// References are checked against what the manifest declares, so a declared file that failed to load (reported
// once, in that file) does not also make every reference to it "unknown".
function moduleReferences(app: AppDefinition): Problem[] {
  const declared = Object.keys(app.manifest.components.webhooks);
  return app.modules.flatMap((module) =>
    declared.includes(module.webhook)
      ? []
      : [withSuggestion({ file: module.files.module, pointer: '/webhook', module: module.name, message: `webhook '${module.webhook}' does not exist (known: ${declared.join(', ') || 'none'})` }, module.webhook, declared)],
  );
}

function rpcReferences(app: AppDefinition): Problem[] {
  const declared = Object.keys(app.manifest.components.rpcs);
  const sharedValues = Object.values(app.sharedParameters);
  const check = (parameters: Parameter[], file: string, pointer: (index: number) => string, module?: string): Problem[] =>
    parameters.flatMap((parameter, index) => {
      const match = typeof parameter.options === 'string' ? /^rpc:\/\/(.+)$/.exec(parameter.options) : null;
      // A module's shared parameters are checked once, in connector/parameters.json.
      if (!match || declared.includes(match[1]) || (module && sharedValues.includes(parameter))) return [];
      const message = `parameter '${parameter.name}' uses RPC '${match[1]}', which does not exist (known: ${declared.join(', ') || 'none'})`;
      return [withSuggestion({ file, pointer: pointer(index), module, message }, match[1], declared)];
    });
  const shared = Object.entries(app.sharedParameters);
  return [
    ...check(app.connection.parameters, app.connection.file, (i) => `/parameters/${i}/options`),
    ...Object.values(app.webhooks).flatMap((webhook) => check(webhook.parameters, webhook.file, (i) => `/parameters/${i}/options`)),
    ...check(shared.map(([, parameter]) => parameter), app.manifest.components.parameters, (i) => `/${shared[i][0]}/options`),
    ...app.modules.flatMap((module) => check(module.parameters, module.files.module, (i) => `/parameters/${i}/options`, module.name)),
  ];
}

function catalogueCoverage(app: AppDefinition, gaps: LoadGaps): Problem[] {
  if (gaps.catalogue) return [];
  const file = app.manifest.components.events;
  const problems: Problem[] = [];
  const listed = app.manifest.components.modules;
  const claimed = new Map<string, string>();
  for (const event of Object.values(app.events)) {
    const at = `/events/${event.type}`;
    event.modules.forEach((name, index) => {
      if (!listed.includes(name)) {
        problems.push(withSuggestion({ file, pointer: `${at}/modules/${index}`, message: `module '${name}' is not in manifest.json's module list` }, name, listed));
      }
    });
    if (event.modules.length === 0 && !event.unwatched) {
      problems.push({ file, pointer: at, message: `no module watches event '${event.type}': add a module, or mark it "unwatched": true` });
    }
    if (event.modules.length > 0 && event.unwatched) {
      problems.push({ file, pointer: `${at}/unwatched`, message: `event '${event.type}' is marked unwatched but lists modules` });
    }
    const kinds = Object.keys(app.manifest.components.payloads);
    if (!kinds.includes(event.payload)) {
      problems.push(withSuggestion({ file, pointer: `${at}/payload`, message: `payload kind '${event.payload}' has no schema in manifest.json components.payloads` }, event.payload, kinds));
    }
    event.aliases.forEach((alias, index) => {
      const owner = claimed.get(alias);
      if (owner && owner !== event.type) problems.push({ file, pointer: `${at}/aliases/${index}`, message: `'${alias}' is already used by event '${owner}'` });
    });
    for (const name of [event.type, ...event.aliases]) if (!claimed.has(name)) claimed.set(name, event.type);
  }
  // A misspelt module name in the catalogue leaves the module it meant without events: one mistake, said once.
  const misspelt = Object.values(app.events).flatMap((event) => event.modules.filter((name) => !listed.includes(name)));
  for (const module of app.modules) {
    if (module.events.length === 0 && !misspelt.some((name) => nearestNames(name, [module.name]).length > 0)) {
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
  return app.modules.flatMap(mappingTemplateProblems);
}

/** What a module's mapping templates can read: Make's instant-trigger variables for the way it maps. */
export function mappingVariables(module: ModuleDefinition): string[] {
  return module.communication ? ['body', 'payload', 'parameters', 'item'] : ['body', 'parameters', 'item'];
}

/**
 * Problems in the templates a module maps with (its output fields, their subjects, its order lines), each at
 * the place it is written: a template in a shared fragment is reported there, once for all its modules.
 */
export function mappingTemplateProblems(module: ModuleDefinition): Problem[] {
  const variables = mappingVariables(module);
  const fields = walkFields(module.output, '', (field, pointer) => {
    const problems: Problem[] = [];
    const subject = originOf(field, 'x-iml-subject');
    if (subject?.text !== undefined && !subject.text.includes('{{')) {
      problems.push(...templateTextProblems(`{{${subject.text}}}`, { ...subject, module: module.name }, variables).map((problem) => ({ ...problem, index: undefined, message: problem.message.replace(/"\{\{(.*)\}\}"/, '"$1"') })));
    }
    if (typeof field['x-iml'] === 'string') {
      const place = originOf(field, 'x-iml') ?? { file: module.files.output, pointer: `${pointer}/x-iml`, text: field['x-iml'] };
      problems.push(...templateTextProblems(place.text ?? field['x-iml'], { ...place, module: module.name }, variables));
    }
    return problems;
  });
  const orderLines = module.orderLines ? templateTextProblems(module.orderLines.items, { file: module.files.module, pointer: '/orderLines/items', module: module.name }, variables) : [];
  return [...fields, ...orderLines];
}

function samplePaths(app: AppDefinition): Problem[] {
  const carried = sampleCarried(app);
  return app.modules.flatMap((module) => samplePathProblems(module, carried));
}

function orderLineSource(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) => orderLineProblems(app, module));
}

function orderLineProblems(app: AppDefinition, module: ModuleDefinition): Problem[] {
  const usesLines = module.parameters.some((p) => p === app.sharedParameters[PRODUCT_FILTER] || p === app.sharedParameters[BUNDLE_PER_ORDER_LINE]);
  return usesLines && !module.orderLines
    ? [{ file: module.files.module, pointer: '/orderLines', module: module.name, message: 'the product filter and per-line bundles need "orderLines": the IML of the order lines in the payload' }]
    : [];
}

// A sample is compared with what the mapping makes only when both can be trusted: a mapping with template
// errors or a misspelt payload path, or a payload its schema rejects, is reported once for what it is, not again
// as different bundles.
function sampleConformance(app: AppDefinition, gaps: LoadGaps): Problem[] {
  if (gaps.catalogue) return [];
  const carried = sampleCarried(app);
  return app.modules.flatMap((module) => {
    // A module no event routes to is reported in the catalogue; its samples cannot be routed until that is fixed.
    if (module.events.length === 0) return [];
    const mappingWorks = mappingTemplateProblems(module).length === 0 && orderLineProblems(app, module).length === 0 && samplePathProblems(module, carried).length === 0;
    return module.samples.flatMap((sample, index) => sampleProblems(app, module, sample, `/${index}`, mappingWorks));
  });
}

function sampleProblems(app: AppDefinition, module: ModuleDefinition, sample: ModuleDefinition['samples'][number], at: string, mappingWorks: boolean): Problem[] {
  const file = module.files.samples;
  const problem = (pointer: string, message: string): Problem => ({ file, pointer, module: module.name, message });
  const event = eventOfBody(app, sample.payload);
  if (!event || !event.modules.includes(module.name)) {
    const type = String(eventTypeOf(app, sample.payload));
    return [withSuggestion(problem(`${at}/payload/type`, `event type '${type}' is not one this module watches (${module.events.join(', ')})`), type, module.events)];
  }
  if (module.communication && sample.response === undefined) {
    return [problem(at, 'this module fetches its data from the API: give the API\'s answer to its request as "response"')];
  }
  const problems = payloadViolations(app, sample.payload).map((v) => problem(`${at}/payload${v.pointer}`, `payload ${v.message}`));
  if (sample.parameters !== undefined) problems.push(...parameterProblems(module.name, module.parameters, sample.parameters).map((message) => problem(`${at}/parameters`, message)));
  sample.bundles.forEach((bundle, index) => {
    for (const violation of violations(module.output, bundle)) {
      problems.push(problem(`${at}/bundles/${index}${violation.pointer}`, `does not match the output schema: ${violation.message}`));
    }
  });
  if (problems.length > 0 || !mappingWorks) return problems;
  const mapped = mapWithModule(module, mappingInput(app, module, sample.payload), { parameters: sample.parameters, response: sample.response });
  if (!mapped.ok) return [problem(`${at}/payload`, `mapping failed: ${mapped.error}`)];
  const differences = bundleDifferences(sample.bundles, mapped.bundles.map((bundle) => bundle.data));
  if (differences.length === 0) return [];
  const first = differences[0].pointer;
  return [problem(`${at}/bundles${first}`, `the mapping makes different bundles from this payload (sample → mapping): ${describeDifferences(differences)}`)];
}
