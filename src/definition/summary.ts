import { connectionCommunication } from './connection-communication';
import type { AppDefinition } from './types';

/** Counts of what an app defines, for `validate`'s summary line and the docs. */
export function summarizeApp(app: AppDefinition): string[] {
  const events = Object.values(app.events);
  const observed = events.filter((event) => event.provenance === 'observed').length;
  const samples = app.modules.reduce((count, module) => count + module.samples.length, 0);
  const connectionUrl = connectionCommunication(app).url ?? '';
  return [
    `connection: ${app.connection.label} (${app.connection.type}; ${app.connection.parameters.length} parameter; test ${app.connection.communication.method ?? 'GET'} ${connectionUrl})`,
    `webhooks: ${Object.keys(app.webhooks).length} (${Object.keys(app.webhooks).join(', ')})`,
    `rpcs: ${Object.keys(app.rpcs).length} (${Object.keys(app.rpcs).join(', ')})`,
    `modules: ${app.modules.length} instant triggers`,
    `events: ${events.length} in the catalogue (${observed} observed, ${events.length - observed} assumed)`,
    `samples: ${samples}, each matching its payload schema, output schema and mapping`,
  ];
}
