import type { AppDefinition, WebhookDefinition } from './types';

/**
 * The app's webhook: each app receives one platform's webhooks (Plug&Paid or Plug&Pay), so the runtime's
 * webhooks, the registration steps and the connection's id all come from this one definition.
 */
export function appWebhook(app: AppDefinition): WebhookDefinition | undefined {
  return Object.values(app.webhooks)[0];
}
