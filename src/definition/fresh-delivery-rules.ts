import { renewablePaths } from '../samples/fresh';
import type { Problem } from './problems';
import type { AppDefinition } from './types';

/**
 * `send --fresh` can renew what `send` sends, each module's first sample: it carries at least one of the paths its
 * webhook's freshDelivery names.
 */
export function freshDeliveryProblems(app: AppDefinition): Problem[] {
  return app.modules.flatMap((module) => {
    const webhook = app.webhooks[module.webhook];
    const rule = webhook?.freshDelivery;
    const sample = module.samples[0];
    if (!rule || !sample || renewablePaths(rule, sample.payload).length > 0) return [];
    const paths = [...(rule.ids ?? []), ...(rule.times ?? [])].join(', ');
    const message = `the first sample (the one \`send\` posts) carries none of the fields ${webhook.file}'s freshDelivery renews (${paths}), so \`send --fresh\` cannot make it a new event: add one to the sample, or its path to freshDelivery`;
    return [{ file: module.files.samples, pointer: '/0/payload', module: module.name, message }];
  });
}
