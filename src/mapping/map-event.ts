import { builtinFunctions, evaluateDirective, ImlContext } from '../iml';
import { isRecord, isTruthy } from '../iml/values';
import type { AppDefinition, ModuleDefinition } from '../definition/types';
import { didYouMean } from '../definition/parameter-check';
import { eventOfBody, eventTypeOf, mappingInput } from './route';
import { SchemaViolation, violations } from './bundle-validator';
import { conversionMessage, FieldConversion, fieldConversions } from './conversions';
import { readBindings } from './mapped-paths';
import { boundText, TEXT_LIMITS } from './bounded-text';

/** A bundle and what is wrong with it: its output schema violations and the values it could not convert. */
export interface MappedBundle {
  data: Record<string, unknown>;
  errors: SchemaViolation[];
  /** The payload values a field's conversion (parseNumber, parseDate) could not convert: also in `errors`. */
  conversions: FieldConversion[];
}

/** The outcome of mapping one payload with one module: bundles, or a structured error. Never a throw. */
export type ModuleMapping =
  | { ok: true; module: string; bundles: MappedBundle[]; filtered: boolean }
  | { ok: false; module: string; error: string };

export interface MapOptions {
  /** The trigger's parameter values (product filter, one bundle per order line); defaults apply when absent. */
  parameters?: Record<string, unknown>;
  /** IANA zone for date functions. */
  timezone?: string;
  /** For a module with a communication: the API's answer (`body`) to its request. */
  response?: unknown;
}

/** Values of the module's parameters: the given ones over each parameter's default. */
export function parameterValues(module: ModuleDefinition, given: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const parameter of module.parameters) {
    if (parameter.default !== undefined) values[parameter.name] = parameter.default;
  }
  return { ...values, ...given };
}

/** A mapping ready to run: the items to make bundles of (none when the condition filtered the input), one at a time. */
export interface MappingSteps {
  filtered: boolean;
  items: unknown[];
  bundleOf(item: unknown): MappedBundle;
}

/**
 * Evaluates a module's condition and iterate for one input, leaving the bundles to be made one by one, so the
 * runtime can stop at its limits and yield between them. Throws where IML does; `mapWithModule` catches.
 */
export function mappingSteps(module: ModuleDefinition, input: unknown, options: MapOptions = {}): MappingSteps {
  if (module.communication && options.response === undefined) {
    throw new Error('this module maps the object it fetches from the API, and no API answer was given');
  }
  const parameters = parameterValues(module, options.parameters);
  const variables: Record<string, unknown> = module.communication ? { payload: input, body: options.response, parameters } : { body: input, parameters };
  let failed = false;
  const context: ImlContext = { variables, functions: builtinFunctions, timezone: options.timezone ?? 'UTC', conversionFailed: () => (failed = true) };
  const { compiled } = module;
  const bundleOf = (item: unknown): MappedBundle => {
    const itemContext = item === undefined ? context : { ...context, variables: { ...variables, item } };
    failed = false;
    const data = toJsonBundle(evaluateDirective(compiled.output, itemContext, dateAsText));
    const conversions = failed ? fieldConversions(compiled.output, itemContext, readBindings(module)) : [];
    const errors = [...violations(module.output, data), ...conversions.map((conversion) => ({ pointer: conversion.field, message: conversionMessage(conversion) }))];
    return { data, errors, conversions };
  };
  if (compiled.condition && !isTruthy(evaluateDirective(compiled.condition, context))) return { filtered: true, items: [], bundleOf };
  let items: unknown[] = [undefined];
  if (compiled.iterate) {
    const container = evaluateDirective(compiled.iterate.container, context);
    const lines = Array.isArray(container) ? container : [];
    const { condition } = compiled.iterate;
    items = condition ? lines.filter((item) => isTruthy(evaluateDirective(condition, { ...context, variables: { ...variables, item } }))) : lines;
  }
  return { filtered: items.length === 0, items, bundleOf };
}

/**
 * Maps one input with one module: condition, iterate, output. The input is the webhook body, or, for a module
 * with a communication, its webhook item (`payload`), with the API's answer in `options.response` as `body`.
 */
export function mapWithModule(module: ModuleDefinition, input: unknown, options: MapOptions = {}): ModuleMapping {
  try {
    const steps = mappingSteps(module, input, options);
    return { ok: true, module: module.name, bundles: steps.items.map(steps.bundleOf), filtered: steps.filtered };
  } catch (error) {
    return { ok: false, module: module.name, error: errorText(error) };
  }
}

/** The message of a thrown value. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Bundles leave as JSON, as Make serialises them: dates become ISO-8601 text where a template yields them;
 * everything else is already JSON (payloads come from JSON.parse, and IML makes no NaN or undefined items).
 */
function dateAsText(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return value;
}

function toJsonBundle(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : { value };
}

/** Why a payload cannot be routed, in words for a person; undefined when it can. */
export function unroutableReason(app: AppDefinition, payload: unknown): string | undefined {
  const platform = app.manifest.label;
  if (!isRecord(payload)) return 'the payload is not a JSON object';
  const type = eventTypeOf(app, payload);
  if (typeof type !== 'string' || type === '') return `the payload has no event type (the ${platform} event type, read as ${app.eventType})`;
  const event = eventOfBody(app, payload);
  if (!event) {
    // Cut first: a sender's megabyte-long type is neither compared with every name nor quoted whole.
    const shown = boundText(type, TEXT_LIMITS.type);
    const names = Object.keys(app.eventAliases).sort();
    const guess = didYouMean(shown, names);
    return `unknown event type '${shown}'.${guess ? ` Did you mean '${guess}'?` : ''} Known types: ${names.join(', ')}. If ${platform} really sends this name, add it to the aliases of the matching event in schemas/events.json.`;
  }
  if (event.modules.length === 0) return `event type '${boundText(type, TEXT_LIMITS.type)}' is in the catalogue but no module watches it`;
  return undefined;
}

/** The modules that watch a payload's event type (or only `only`, when given). */
export function watchingModules(app: AppDefinition, payload: unknown, only?: string): ModuleDefinition[] {
  const event = isRecord(payload) ? eventOfBody(app, payload) : undefined;
  if (!event) return [];
  return app.modules.filter((module) => event.modules.includes(module.name) && (!only || only === module.name));
}

/** Maps a payload with every module that watches its event type; modules that fetch from the API need `mapEventWithApi`. */
export function mapEvent(app: AppDefinition, payload: unknown, options: MapOptions & { only?: string } = {}): ModuleMapping[] {
  return watchingModules(app, payload, options.only).map((module) => mapWithModule(module, mappingInput(app, module, payload), options));
}

/** Violations of the payload schema for the event's payload kind (informational: mapping still runs). */
export function payloadViolations(app: AppDefinition, payload: unknown): SchemaViolation[] {
  const event = isRecord(payload) ? eventOfBody(app, payload) : undefined;
  const schema = event ? app.payloadSchemas[event.payload] : undefined;
  return schema ? violations(schema, payload) : [];
}
