import type { AppDefinition, Communication, ModuleDefinition } from '../definition/types';
import { ApiError } from '../http/api-error';
import { platformPace } from '../http/api-pacing';
import { connectionSecrets } from '../http/connection';
import { callApi } from '../http/request';
import { MapOptions, mapWithModule, ModuleMapping, parameterValues, watchingModules } from './map-event';
import { webhookItem } from './route';

/** What a module's communication needs to reach the API: the connection's values, optionally another base URL. */
export interface ApiAccess {
  /** The connection's parameter values (e.g. `{ apiToken }`); absent when none is configured. */
  connection?: Record<string, unknown>;
  /** Replaces the base's `baseUrl` (a local fake, a staging API). */
  apiBase?: string;
  fetch?: typeof fetch;
}

/** The request as sent: the module's communication without its output (the mapping reads the whole answer). */
function requestOnly(communication: Communication): Communication {
  const { response, ...request } = communication;
  if (!response) return request;
  const checks = { ...response };
  delete checks.output;
  delete checks.iterate;
  return Object.keys(checks).length > 0 ? { ...request, response: checks } : request;
}

/**
 * Runs a module's communication for one webhook item, through the base and the connection, as Make runs an
 * instant trigger's request. Resolves to the answer's body; throws ApiError (already free of secrets).
 */
export async function fetchForModule(app: AppDefinition, module: ModuleDefinition, item: unknown, given: Record<string, unknown> | undefined, access: ApiAccess): Promise<unknown> {
  if (!module.communication) throw new Error(`${module.name} has no communication`);
  if (!access.connection) {
    throw new ApiError(`${module.name} fetches its data from the ${app.manifest.label} API and needs a connection: set PLUGNPAID_API_TOKEN`, 'InvalidConfigurationError');
  }
  const base = access.apiBase ? { ...app.base, baseUrl: access.apiBase } : app.base;
  const variables = { payload: item, parameters: parameterValues(module, given), connection: access.connection };
  const secrets = connectionSecrets(app, access.connection);
  const answer = await callApi({ communication: requestOnly(module.communication), base, variables, secrets, fetch: access.fetch, pace: platformPace(app, secrets) });
  return answer.body;
}

/** Like `mapEvent`, but runs the API request of every module that has one first (the `map` command). */
export async function mapEventWithApi(app: AppDefinition, payload: unknown, options: MapOptions & { only?: string } & ApiAccess = {}): Promise<ModuleMapping[]> {
  return Promise.all(
    watchingModules(app, payload, options.only).map(async (module): Promise<ModuleMapping> => {
      if (!module.communication) return mapWithModule(module, payload, options);
      const item = webhookItem(app, module, payload);
      try {
        const response = await fetchForModule(app, module, item, options.parameters, options);
        return mapWithModule(module, item, { ...options, response });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return { ok: false, module: module.name, error: `${error.type}: ${error.message}` };
      }
    }),
  );
}
