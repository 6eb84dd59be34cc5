import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { appWebhook } from '../../definition/app-webhook';
import type { AppDefinition } from '../../definition/types';

/** The inspector page's files (ui/), served as they are: the page itself holds no data, every call needs the admin token. */
const UI_DIR = join(__dirname, '..', '..', '..', 'ui');
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/ui/inspector.js': { file: 'inspector.js', type: 'text/javascript; charset=utf-8' },
  '/ui/dom.js': { file: 'dom.js', type: 'text/javascript; charset=utf-8' },
  '/ui/tree.js': { file: 'tree.js', type: 'text/javascript; charset=utf-8' },
  '/ui/chart.js': { file: 'chart.js', type: 'text/javascript; charset=utf-8' },
  '/ui/webhooks.js': { file: 'webhooks.js', type: 'text/javascript; charset=utf-8' },
  '/ui/drift.js': { file: 'drift.js', type: 'text/javascript; charset=utf-8' },
  '/ui/deliveries.js': { file: 'deliveries.js', type: 'text/javascript; charset=utf-8' },
  '/ui/inspector.css': { file: 'inspector.css', type: 'text/css; charset=utf-8' },
};

// Browsers ask for it on every visit to the inspector; an empty answer keeps the log and console free of 404s.
const FAVICON = '/favicon.ico';

/** The inspector's public paths: its static files, which hold no data, and the (empty) favicon. */
export const INSPECTOR_PATHS = [...Object.keys(FILES), FAVICON];

/**
 * Serves the event inspector at `/`; its CSP and framing headers come from the scope's helmet (security-headers.ts).
 * The page names the app it inspects and gives its platform's registration steps, from the app definition.
 */
export function registerInspector(server: FastifyInstance, app: AppDefinition): void {
  for (const [route, { file, type }] of Object.entries(FILES)) {
    const raw = readFileSync(join(UI_DIR, file));
    const body = file === 'index.html' ? Buffer.from(pageFor(app, raw.toString('utf8'))) : raw;
    server.get(route, async (_request, reply) =>
      reply.header('content-type', type).send(body),
    );
  }
  server.get(FAVICON, async (_request, reply) => reply.code(204).send());
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The inspector page with the app's label and its webhook's registration steps in place. */
function pageFor(app: AppDefinition, page: string): string {
  const steps = (appWebhook(app)?.instructions ?? []).map((step) => `            <li>${escapeHtml(step)}</li>`).join('\n');
  return page.replace(/\{\{app-label\}\}/g, escapeHtml(app.manifest.label)).replace('{{registration-steps}}', steps);
}
