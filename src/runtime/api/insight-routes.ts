import type { FastifyInstance } from 'fastify';
import type { AppDefinition } from '../../definition/types';
import { ApiError } from '../../http/api-error';
import { runRpc } from '../../http/connection';
import type { ApiAccess } from '../../mapping/enrich';
import { Activity } from './activity';
import type { Clock } from '../clock';
import { RequestError } from '../request-error';
import type { Store } from '../store/store';

interface InsightDeps {
  store: Store;
  app: AppDefinition;
  clock: Clock;
  /** The configured API connection (PLUGNPAID_API_TOKEN); it stays on the server. */
  api: ApiAccess;
}

// A dropdown longer than this is cut: the answer comes from outside and the browser renders every option.
const MAX_OPTIONS = 1000;

/** The RPC names the app's parameters fill their options from (`rpc://listProducts`). */
function optionRpcs(app: AppDefinition): Set<string> {
  const parameters = [...Object.values(app.sharedParameters), ...app.modules.flatMap((module) => module.parameters)];
  return new Set(parameters.map((p) => (typeof p.options === 'string' && p.options.startsWith('rpc://') ? p.options.slice(6) : '')).filter(Boolean));
}

/** What the inspector shows beside the events: the activity chart and the options of RPC-filled parameters. */
export function registerInsightRoutes(server: FastifyInstance, deps: InsightDeps): void {
  const activity = new Activity(deps.store);
  const rpcs = optionRpcs(deps.app);

  server.get('/api/activity', async (request) => {
    const webhook = (request.query as Record<string, string | undefined>).webhook ?? '';
    return { hours: activity.lastDay(deps.clock.now(), webhook) };
  });

  // Runs the RPC here with the configured token, so the token never reaches the browser.
  server.get<{ Params: { name: string } }>('/api/rpcs/:name/options', async (request, reply) => {
    const { name } = request.params;
    if (!rpcs.has(name)) throw new RequestError(404, `no parameter takes its options from RPC '${name}' (known: ${[...rpcs].join(', ') || 'none'})`);
    if (!deps.api.connection) return { configured: false, items: [] };
    try {
      const options = await runRpc(deps.app, name, deps.api.connection, deps.api);
      const items = options.slice(0, MAX_OPTIONS).map((option) => {
        const { label, value } = (option ?? {}) as { label?: unknown; value?: unknown };
        return { label: String(label ?? value ?? ''), value: String(value ?? '') };
      });
      return { configured: true, items, truncated: options.length > MAX_OPTIONS };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // The message is already free of the token (callApi redacts it).
      return reply.code(502).send({ error: `${deps.app.manifest.label} could not list the options: ${error.message}` });
    }
  });
}
