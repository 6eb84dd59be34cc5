import { expect } from 'chai';
import { join } from 'node:path';
import { DEFAULT_APP_DIR, loadApp } from '../../src/definition/loader';
import type { JsonSchema } from '../../src/definition/schema-resolver';
import type { AppDefinition } from '../../src/definition/types';
import { componentVariableProblems } from '../../src/export/component-variables';
import { buildMakeTree } from '../../src/export/make-layout';
import type { MakeTree } from '../../src/export/make-tree';
import { makeWebhookId } from '../../src/export/make-names';
import { builtinFunctions, compileTemplate, directiveSignatureProblems, compileDirective, evaluateDirective, isBuiltinFunction } from '../../src/iml';
import { calledFunctions } from '../../src/iml/ast';
import { isRecord, isTruthy } from '../../src/iml/values';
import { parameterValues } from '../../src/mapping/map-event';

const apps: Array<[string, AppDefinition]> = [
  ['Plug&Paid', loadApp()],
  ['Plug&Pay', loadApp(join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay'))],
];

/** Every string in a JSON value that holds an IML expression, with where it is. */
function imlStrings(value: unknown, at: string, into: Array<{ at: string; text: string }> = []): Array<{ at: string; text: string }> {
  if (typeof value === 'string' && value.includes('{{')) into.push({ at, text: value });
  else if (Array.isArray(value)) value.forEach((item, index) => imlStrings(item, `${at}/${index}`, into));
  else if (value !== null && typeof value === 'object') Object.entries(value).forEach(([key, item]) => imlStrings(item, `${at}/${key}`, into));
  return into;
}

function exportedIml(tree: MakeTree): Array<{ at: string; text: string }> {
  return [...tree.entries()].filter(([path]) => path.endsWith('.json')).flatMap(([path, text]) => imlStrings(JSON.parse(text), path));
}

describe('Make fidelity of the exports', () => {
  for (const [label, app] of apps) {
    describe(label, () => {
      const tree = buildMakeTree(app);

      it('uses only documented built-ins, with the documented number of arguments, and only documented keywords and variables', () => {
        const strings = exportedIml(tree);
        expect(strings.length).to.be.greaterThan(50);
        const problems = strings.flatMap(({ at, text }) => {
          const unknown = compileTemplate(text).parts.flatMap((part) => (typeof part === 'string' ? [] : calledFunctions(part))).filter((name) => !isBuiltinFunction(name));
          return [...unknown.map((name) => `${at}: unknown function ${name}`), ...directiveSignatureProblems(compileDirective(text)).map((problem) => `${at}: ${problem.message}`)];
        });
        expect(problems).to.deep.equal([]);
      });

      it("gives every date field of every sample bundle Make's canonical form (ISO 8601 in UTC with milliseconds)", () => {
        const dates: string[] = [];
        const collect = (schema: JsonSchema, value: unknown): void => {
          if (schema.format === 'date-time' && value !== undefined && value !== null) dates.push(String(value));
          if (isRecord(schema.properties) && isRecord(value)) {
            for (const [name, child] of Object.entries(schema.properties)) if (isRecord(child)) collect(child, value[name]);
          }
          if (isRecord(schema.items) && Array.isArray(value)) value.forEach((item) => collect(schema.items as JsonSchema, item));
        };
        for (const module of app.modules) for (const sample of module.samples) sample.bundles.forEach((bundle) => collect(module.output, bundle));
        expect(dates.length).to.be.greaterThan(5);
        expect(dates.filter((date) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(date))).to.deep.equal([]);
      });

      it('reads in each webhook and trigger only the variables that component has', () => {
        expect(componentVariableProblems(tree)).to.deep.equal([]);
      });

      it('never drops an event because the product filter is empty or absent, whatever form Make gives it', () => {
        const filtered = app.modules.filter((module) => !module.communication && module.mapping.condition);
        for (const module of filtered) {
          const stem = makeWebhookId(module.name);
          const directive = JSON.parse(tree.get(`webhooks/${stem}/${stem}.communication.iml.json`)!);
          const sample = module.samples.find((candidate) => !candidate.parameters)!;
          // Make documents length() for text, buffers and arrays only: here it gives nothing for anything else.
          const strictLength = { minArgs: 1, maxArgs: 1, call: ([value]: unknown[]) => (Array.isArray(value) || typeof value === 'string' ? value.length : undefined) };
          for (const [products, functions] of [undefined, null, '', []].flatMap((value) => [[value, builtinFunctions], [value, { ...builtinFunctions, length: strictLength }]] as const)) {
            const variables = { body: sample.payload, headers: {}, parameters: { ...parameterValues(module), products } };
            const passes = evaluateDirective(compileDirective(directive.condition), { variables, functions, timezone: 'UTC' });
            expect(isTruthy(passes), `${module.name} with products ${JSON.stringify(products)}`).to.equal(true);
          }
          const foreign = { body: sample.payload, headers: {}, parameters: { ...parameterValues(module), products: ['no-such-product'] } };
          expect(isTruthy(evaluateDirective(compileDirective(directive.condition), { variables: foreign, functions: builtinFunctions, timezone: 'UTC' })), module.name).to.equal(false);
        }
        if (label === 'Plug&Paid') expect(filtered.length).to.be.greaterThan(5);
      });
    });
  }

  it('catches a trigger communication that reads item, which Make does not iterate there', () => {
    const [, plugAndPay] = apps[1];
    const tree = buildMakeTree(plugAndPay);
    const path = 'modules/watch-order-paid/watch-order-paid.communication.iml.json';
    const communication = JSON.parse(tree.get(path)!);
    communication.response.output.orderLine = '{{if(parameters.bundlePerOrderLine, item, item.absent)}}';
    tree.set(path, JSON.stringify(communication));
    expect(componentVariableProblems(tree).map((problem) => problem.variable)).to.have.members(['parameters', 'item', 'item']);
  });

  it('says in the Plug&Pay key help exactly what Make verifies (the shared token only) and what only the runtime does', () => {
    const [, plugAndPay] = apps[1];
    const help = (name: string) => String(plugAndPay.webhooks.plugandpay.parameters.find((parameter) => parameter.name === name)!.help);
    expect(help('webhookKey')).to.contain('with an HMAC scheme this trigger in Make checks no signature');
    expect(help('webhookKey')).to.contain('With the shared-token scheme Make compares the header with this key');
    expect(help('webhookKey')).to.contain('The plugnpaid-connector runtime checks the HMAC of the raw body');
    expect(help('signatureScheme')).to.contain('Make can verify only the shared token');
    // What the help says of Make is what the exported condition does: an HMAC scheme checks no header at all.
    const stem = makeWebhookId(plugAndPay.modules[0].name);
    const condition = JSON.parse(buildMakeTree(plugAndPay).get(`webhooks/${stem}/${stem}.communication.iml.json`)!).condition;
    const parameters = { signatureScheme: 'hmac-sha256-hex', signatureHeader: 'Signature', webhookKey: 'key' };
    const body = plugAndPay.modules[0].samples[0].payload;
    const passes = (headers: Record<string, string>) => isTruthy(evaluateDirective(compileDirective(condition), { variables: { body, headers, parameters }, functions: builtinFunctions, timezone: 'UTC' }));
    expect(passes({ signature: 'not-an-hmac-of-anything' })).to.equal(true);
    expect(passes({})).to.equal(true);
  });

  it('gives Plug&Pay webhooks the connection, since their triggers call the API', () => {
    const [, plugAndPay] = apps[1];
    const makecomapp = JSON.parse(buildMakeTree(plugAndPay).get('makecomapp.json')!);
    const webhooks = Object.values(makecomapp.components.webhook) as Array<{ connection: string | null }>;
    expect(webhooks.map((webhook) => webhook.connection)).to.deep.equal(Array(6).fill('plugandpay'));
  });
});
