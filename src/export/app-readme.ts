import { appWebhook } from '../definition/app-webhook';
import { outputFields } from '../definition/fields';
import type { AppDefinition, ModuleDefinition } from '../definition/types';
import { exportedOutputSchema, webhookParameters } from './webhook-directive';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** How to set up one trigger in a scenario, from adding it to mapping its first bundle. */
function setupSteps(app: AppDefinition): string[] {
  const platform = app.manifest.label;
  const webhook = appWebhook(app);
  const asked = webhookParameters(app, app.modules[0]).filter((parameter) => parameter.required).map((parameter) => `**${parameter.label}**`);
  const connection = app.modules.some((module) => module.communication) ? `, choose or create the connection (your ${platform} API token)` : '';
  const steps = [
    `In your scenario, add the ${platform} trigger you want (for example *${app.modules[0].label}*).`,
    `Next to **Webhook**, click **Add**, give the webhook a name${asked.length ? `, fill in ${asked.join(', ')}` : ''}${connection}, and click **Save**. Make creates the webhook and shows its URL.`,
    ...(webhook?.instructions ?? []),
    `Back in Make, click **Run once**, then make an event happen in ${platform} (or wait for one): the trigger shows its first bundle, and its fields can be mapped in the modules after it.`,
  ];
  return steps.map((step, index) => `${index + 1}. ${step}`);
}

/** One trigger: what it reacts to, the webhook's options, and its output fields as Make shows them. */
function triggerSection(app: AppDefinition, module: ModuleDefinition): string[] {
  const events = module.events.flatMap((type) => [type, ...app.events[type].aliases]).map((type) => `\`${type}\``);
  const options = webhookParameters(app, module).map((parameter) => `- **${parameter.label}**${parameter.help ? `: ${parameter.help}` : ''}`);
  const fields = outputFields(exportedOutputSchema(module)).map((field) => `| ${'&nbsp;&nbsp;'.repeat(field.depth)}${cell(field.label)} | ${field.type} |`);
  return [
    `### ${module.label}`,
    '',
    module.description,
    '',
    `Reacts to ${app.manifest.label} events: ${events.join(', ')}.`,
    '',
    ...(options.length ? ['Webhook options:', '', ...options, ''] : []),
    '| Output field | Type |',
    '| --- | --- |',
    ...fields,
    '',
  ];
}

/** The app's Docs in Make (the export's README.md), for a Make user: set up a trigger, then each trigger. */
export function appReadme(app: AppDefinition): string {
  return [
    `# ${app.manifest.label}`,
    '',
    app.manifest.description,
    '',
    '## Setting up a trigger',
    '',
    `Each trigger has its own webhook: Make creates it, and ${app.manifest.label} sends its events to it. For each trigger you use:`,
    '',
    ...setupSteps(app),
    '',
    '## Triggers',
    '',
    ...app.modules.flatMap((module) => triggerSection(app, module)),
  ].join('\n');
}
