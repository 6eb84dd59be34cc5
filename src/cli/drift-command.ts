import { Command } from 'commander';
import type { DriftReport } from '../runtime/drift/drift-report';
import { callRuntime, ClientOptions } from './api-client';
import { plural, table } from './human-output';
import type { CliIo } from './io';
import { withClientOptions } from './runtime-commands';

/** An example event's id, or that the retention pruned it. */
const example = (id: number | null) => (id === null ? 'pruned' : String(id));

/** The drift report as text a person reads top to bottom, each part saying what to do about it. */
export function formatDrift(report: DriftReport): string {
  const lines: string[] = [];
  const section = (title: string, advice: string, header: string[], rows: string[][]) => {
    lines.push(`${title} (${rows.length})`);
    if (rows.length === 0) lines.push('  none');
    else lines.push(...table(header, rows, false, '  '), `  → ${advice}`);
    lines.push('');
  };
  section(
    'Unknown event types',
    'if one is a catalogue event under another name: plugnpaid-connector catalogue alias <type> <event>, restart, then replay type <type>',
    ['type', 'events', 'first seen', 'last seen', 'example event'],
    report.unknownTypes.map((t) => [t.type ?? '(no type)', plural(t.count, 'event'), t.firstSeen, t.lastSeen, example(t.exampleEventId)]),
  );
  section(
    'Payload fields no mapping reads',
    'map the useful ones in the module\'s output schema; capture a sample with plugnpaid-connector samples capture <event> --module <name>',
    ['event type', 'path', 'events', 'example event'],
    report.unmappedFields.map((f) => [f.eventType, f.path, plural(f.count, 'event'), example(f.exampleEventId)]),
  );
  section(
    'Fields the mappings read that payloads never carry',
    'check the field name against a real payload (events <id>); a renamed field needs its x-iml source changed',
    ['event type', 'path'],
    report.missingFields.map((f) => [f.eventType, f.path]),
  );
  section(
    'Payload-schema violations',
    'the payload schema (schemas/payloads) assumes something real payloads break: widen it or fix the mapping',
    ['event type', 'pointer', 'problem', 'events', 'example event'],
    report.payloadViolations.map((v) => [v.eventType, v.pointer || '/', v.message, plural(v.count, 'event'), example(v.exampleEventId)]),
  );
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `drift [--webhook id] [--json]`: what real traffic shows the app does not know or does not map. */
export function driftCommand(io: CliIo): Command {
  return withClientOptions(
    new Command('drift')
      .description('show the drift report of a running runtime: unknown event types, unmapped and missing fields, payload-schema violations')
      .option('--webhook <id>', 'only this webhook (default: all)')
      .option('--json', 'print the API answer as JSON'),
  ).action(async (o: ClientOptions & { webhook?: string; json?: boolean }) => {
    const query = o.webhook ? `?webhook=${encodeURIComponent(o.webhook)}` : '';
    const report = (await callRuntime(io, o, 'GET', `/api/drift${query}`)) as DriftReport;
    io.stdout(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatDrift(report));
  });
}
