import type { CompiledDirective } from '../iml';
import type { ApiRateLimit } from './api-rate';
import type { JsonSchema } from './schema-resolver';

/** A Make parameter (dialog field). */
export interface Parameter {
  name: string;
  label: string;
  type: string;
  help?: string;
  required?: boolean;
  default?: unknown;
  multiple?: boolean;
  options?: string | Array<{ label: string; value: unknown }>;
  /** For a dropdown filled by an RPC: how to offer it as typed-in values where no connection may be asked for. */
  withoutConnection?: { label: string; itemLabel: string; help: string };
  [key: string]: unknown;
}

/** A Make request directive with its response handling. */
export interface Communication {
  url?: string;
  baseUrl?: string;
  method?: string;
  headers?: Record<string, string>;
  qs?: Record<string, unknown>;
  body?: unknown;
  timeout?: number;
  response?: {
    valid?: boolean | string | { condition: boolean | string; message?: string; type?: string };
    error?: { message: string; type?: string; [status: string]: unknown };
    iterate?: string;
    /** At most this many items (Make's `response.limit`). */
    limit?: number;
    output?: unknown;
    metadata?: { type: string; value: string };
  };
  log?: { sanitize?: string[] };
}

export interface Manifest {
  name: string;
  label: string;
  version: string;
  description: string;
  theme: string;
  language: string;
  payloadVersion: string;
  components: {
    base: string;
    connection: string;
    parameters: string;
    events: string;
    webhooks: Record<string, string>;
    rpcs: Record<string, string>;
    payloads: Record<string, string>;
    modules: string[];
    /** The API's recorded answers to the connection test and the RPCs (the sandbox serves them). */
    apiSamples?: string;
  };
}

export interface ConnectionDefinition {
  file: string;
  label: string;
  type: 'basic';
  parameters: Parameter[];
  communication: Communication;
}

/**
 * How a webhook proves that a request comes from the sender's account: IML templates over the webhook's
 * parameters, so the user picks the scheme, key, header and prefix when creating the webhook.
 */
export interface WebhookVerification {
  /** 'hmac-sha256-hex', 'hmac-sha256-base64' (of the raw body) or 'token' (the key itself). */
  scheme: string;
  key: string;
  header: string;
  prefix?: string;
}

export interface WebhookDefinition {
  id: string;
  file: string;
  label: string;
  type: 'web' | 'web-shared';
  parameters: Parameter[];
  instructions: string[];
  /** The webhook item (Make's webhook `output`): what an enriching module sees as `payload`. Default: the body. */
  output?: unknown;
  compiledOutput?: CompiledDirective;
  verification?: WebhookVerification;
  freshDelivery?: FreshDelivery;
}

/** What `send --fresh` renews so that a sample is a new event: dot paths in the webhook body. */
export interface FreshDelivery {
  /** Ids of the object the event is about: a string gets a unique suffix, a number another number. */
  ids?: string[];
  /** When the platform sent the delivery: set to the current time. */
  times?: string[];
}

export interface RpcDefinition {
  id: string;
  file: string;
  label: string;
  communication: Communication;
}

export interface CatalogueEvent {
  type: string;
  label: string;
  provenance: 'observed' | 'assumed';
  payload: string;
  aliases: string[];
  modules: string[];
  unwatched?: boolean;
}

/** How one payload becomes bundles, in Make's webhook terms: a condition, optional iteration, an output. */
export interface BundleMapping {
  /** IML deciding whether the event produces bundles at all (e.g. the product filter). */
  condition?: string;
  /** One bundle per element of `container` that passes `condition`, as Make's webhook `iterate` does. */
  iterate?: { container: string; condition?: string };
  /** The bundle shape: IML JSON generated from the output schema's x-iml sources. */
  output: unknown;
}

export interface CompiledMapping {
  condition?: CompiledDirective;
  iterate?: { container: CompiledDirective; condition?: CompiledDirective };
  output: CompiledDirective;
}

export interface Sample {
  title: string;
  parameters?: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** For a module that fetches its object: the API's answer to the module's request. */
  response?: unknown;
  bundles: Array<Record<string, unknown>>;
}

/** Where the order lines are: the IML of the array, and the key of a line's product id. */
export interface OrderLines {
  items: string;
  productId: string;
  /** True when `items` is the one line itself (a subscription's product), not an array of lines. */
  single?: boolean;
}

export interface ModuleDefinition {
  /** Folder name, e.g. watch-one-time-sale: the module's identity everywhere. */
  name: string;
  label: string;
  description: string;
  /** The module group in Make's module list (e.g. Orders). */
  group: string;
  webhook: string;
  parameters: Parameter[];
  orderLines?: OrderLines;
  /**
   * Make's instant-trigger communication: one request per webhook item (variable `payload`) through the
   * connection, whose answer (`body`) the output maps. Absent for modules that map the webhook body itself.
   */
  communication?: Communication;
  /** Canonical event types (from the catalogue) this module reacts to. */
  events: string[];
  /** The resolved output JSON Schema (self-contained). */
  output: JsonSchema;
  mapping: BundleMapping;
  compiled: CompiledMapping;
  samples: Sample[];
  files: { module: string; output: string; samples: string };
}

/** A loaded, resolved app definition: what the runtime, the docs and the export all read. */
export interface AppDefinition {
  dir: string;
  manifest: Manifest;
  /** What every API call inherits (Make's base), without the runtime-only rate. */
  base: Communication;
  /** How often the runtime calls the platform's API with one token (`rateLimit` in the base file). */
  apiRate: ApiRateLimit;
  connection: ConnectionDefinition;
  sharedParameters: Record<string, Parameter>;
  webhooks: Record<string, WebhookDefinition>;
  rpcs: Record<string, RpcDefinition>;
  events: Record<string, CatalogueEvent>;
  /** IML over the webhook `body` giving its event type (from the catalogue; default `{{body.type}}`). */
  eventType: string;
  compiledEventType: CompiledDirective;
  /** Alias or canonical type → canonical type. */
  eventAliases: Record<string, string>;
  payloadSchemas: Record<string, JsonSchema>;
  modules: ModuleDefinition[];
  /** The API's recorded answers to the connection test and the RPCs, by request (`GET /path`); module answers are their samples' `response`. */
  apiSamples?: { file: string; answers: Record<string, unknown> };
}
