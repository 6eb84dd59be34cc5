import type { AppDefinition, ModuleDefinition, Sample } from '../definition/types';
import { isRecord } from '../iml/values';
import { mapWithModule } from '../mapping/map-event';
import { eventOfBody, mappingInput, storedEventType } from '../mapping/route';
import { scrubVocabulary } from './app-vocabulary';
import { scrubPayload } from './scrub';

/** How the title of a sample captured from an event begins: the event's id, so a second capture is recognised. */
export function capturedTitlePrefix(eventId: number): string {
  return `Captured from event ${eventId} (`;
}

/** A sample made from a stored event, or why the event cannot give one to that module. */
export type Captured = { ok: true; sample: Sample } | { ok: false; error: string };

/**
 * Turns a stored event's body into a sample of `module`: personal data scrubbed first, then mapped, so the
 * sample's bundles come only from the scrubbed payload.
 */
export function captureSample(app: AppDefinition, module: ModuleDefinition, eventId: number, body: unknown): Captured {
  if (!isRecord(body)) return { ok: false, error: `event ${eventId} has no JSON object body to make a sample of` };
  const type = storedEventType(app, body);
  const event = eventOfBody(app, body);
  if (!event) {
    return { ok: false, error: `event ${eventId} is of type '${type ?? '(none)'}', which the catalogue does not know; alias it first (catalogue alias ${type ?? '<type>'} <event>)` };
  }
  if (!event.modules.includes(module.name)) {
    return { ok: false, error: `event ${eventId} is a '${event.type}' event, which ${module.name} does not watch (watched by: ${event.modules.join(', ') || 'no module'})` };
  }
  if (module.communication) {
    return { ok: false, error: `${module.name} maps the object it fetches from the API, and the runtime does not keep the API's answer; write this module's samples by hand` };
  }
  const payload = scrubPayload(body, scrubVocabulary(app, module)) as Record<string, unknown>;
  const mapped = mapWithModule(module, mappingInput(app, module, payload));
  if (!mapped.ok) return { ok: false, error: `${module.name} cannot map event ${eventId}: ${mapped.error}` };
  return {
    ok: true,
    sample: { title: `${capturedTitlePrefix(eventId)}${type}), personal data replaced by fakes`, payload, bundles: mapped.bundles.map((bundle) => bundle.data) },
  };
}
