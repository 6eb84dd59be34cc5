import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULT_APP_DIR, loadApp } from '../../src/definition/loader';
import { buildMakeTree } from '../../src/export/make-layout';
import { builtinFunctions, compileDirective, evaluateDirective } from '../../src/iml';
import { isTruthy } from '../../src/iml/values';
import { mapEvent, parameterValues } from '../../src/mapping/map-event';
import { makeModuleId, makeWebhookId } from '../../src/export/make-names';
import { sentenceCase } from '../../src/definition/conventions';
import { AppCopy } from '../helpers/app-copy';
import { cli } from '../helpers/cli';
import { makeSchemaProblems, schemaFor } from '../helpers/make-schemas';

const app = loadApp();
const tree = buildMakeTree(app);
const parse = (path: string) => JSON.parse(tree.get(path)!);
const makecomapp = parse('makecomapp.json');

describe('export to Make', () => {
  it('validates every exported file against the Make schema for its kind', () => {
    const { problems, checked } = makeSchemaProblems(tree);
    expect(problems).to.deep.equal([]);
    expect(checked).to.equal(tree.size - 1);
    expect([...tree.keys()].filter((path) => !schemaFor(path))).to.deep.equal(['README.md']);
  });

  it('has all six component types, fourteen instant triggers with a webhook each, and no connection on modules', () => {
    expect(Object.keys(makecomapp.components)).to.have.members(['connection', 'webhook', 'module', 'rpc', 'function', 'endpoint']);
    const modules = Object.entries(makecomapp.components.module) as Array<[string, any]>;
    expect(modules).to.have.length(14);
    for (const [id, module] of modules) {
      expect(id).to.match(/^[a-z][A-Za-z0-9]+$/);
      expect(module).to.include({ moduleType: 'instant_trigger', connection: null });
      expect(makecomapp.components.webhook).to.have.property(module.webhook);
      expect(Object.keys(module.codeFiles)).to.deep.equal(['communication', 'staticParams', 'mappableParams', 'interface', 'samples']);
    }
    expect(makecomapp.components.module.watchOneTimeSale.label).to.equal('Watch one time sale');
    expect(makecomapp.components.connection.plugnpaid).to.include({ connectionType: 'basic' });
  });

  describe('creating a Plug&Paid webhook in Make asks for its name only: no connection, no API token', () => {
    it('gives no webhook and no module the connection, and exports no RPC', () => {
      const webhooks = Object.values(makecomapp.components.webhook) as Array<{ connection: string | null }>;
      expect(webhooks).to.have.length(14);
      expect(webhooks.filter((webhook) => webhook.connection !== null)).to.deep.equal([]);
      expect(makecomapp.components.rpc).to.deep.equal({});
      for (const text of [...tree.entries()].filter(([path]) => path.includes('.params.')).map(([, text]) => text)) expect(text).to.not.contain('rpc://');
    });

    it('offers the product filter as typed-in Product IDs, which the condition matches like the dropdown\'s values', () => {
      const params = parse('webhooks/one-time-sale/one-time-sale.params.iml.json') as Array<Record<string, unknown>>;
      const filter = params.find((parameter) => parameter.name === 'products')!;
      expect(filter).to.deep.include({ type: 'array', label: 'Product IDs', advanced: true, spec: { type: 'text', label: 'Product ID' } });
      expect(filter).to.not.have.any.keys('options', 'multiple', 'withoutConnection');
      const sale = app.modules.find((module) => module.name === 'watch-one-time-sale')!;
      const payload = sale.samples[0].payload as { data: { order: { products: Array<{ id: string }> } } };
      const condition = parse('webhooks/one-time-sale/one-time-sale.communication.iml.json').condition;
      const passes = (products: unknown) => isTruthy(evaluateDirective(compileDirective(condition), { variables: { body: payload, headers: {}, parameters: { products } }, functions: builtinFunctions, timezone: 'UTC' }));
      expect(passes([String(payload.data.order.products[0].id)])).to.equal(true);
      expect(passes(['no-such-product'])).to.equal(false);
    });

    it('keeps the listProducts dropdown for the runtime and the inspector', () => {
      const sale = app.modules.find((module) => module.name === 'watch-one-time-sale')!;
      expect(sale.parameters.find((parameter) => parameter.name === 'products')).to.include({ type: 'select', options: 'rpc://listProducts', multiple: true });
    });
  });

  it('references only files it writes, and writes only files it references (besides makecomapp.json)', () => {
    const referenced = new Set<string>(Object.values(makecomapp.generalCodeFiles).filter((p): p is string => typeof p === 'string'));
    for (const components of Object.values(makecomapp.components) as Array<Record<string, { codeFiles: Record<string, string | null> }>>) {
      for (const component of Object.values(components)) Object.values(component.codeFiles).forEach((path) => path && referenced.add(path));
    }
    for (const path of referenced) expect(tree.has(path), path).to.equal(true);
    expect([...tree.keys()].filter((path) => !referenced.has(path))).to.deep.equal(['makecomapp.json']);
  });

  it('is deterministic: the same definition gives the same bytes', () => {
    const again = buildMakeTree(loadApp());
    expect([...again.entries()]).to.deep.equal([...tree.entries()]);
  });

  it("leaves out the API rate, the runtime's setting that Make's base has no field for", () => {
    expect(parse('general/base.iml.json')).to.not.have.property('rateLimit');
    expect(parse('general/base.iml.json').baseUrl).to.equal('https://api.plugnpaid.com/v1');
  });

  it('sanitizes the token in the base and the connection, and contains no secret', () => {
    expect(parse('general/base.iml.json').log.sanitize).to.include('request.headers.authorization');
    const connection = parse('connections/plugnpaid/plugnpaid.communication.iml.json');
    expect(connection.log.sanitize).to.include('request.headers.authorization');
    expect(connection.response.error['401'].type).to.equal('InvalidAccessTokenError');
    for (const text of tree.values()) expect(text).to.not.match(/whsec_|pnpadm_|Bearer [A-Za-z0-9]{8,}/);
  });

  it('generates the interface from the output schema, with specs for collections and arrays', () => {
    const fields = parse('modules/watch-one-time-sale/watch-one-time-sale.interface.iml.json');
    const order = fields.find((f: { name: string }) => f.name === 'order');
    expect(order.spec.find((f: { name: string }) => f.name === 'createdAt')).to.deep.equal({ name: 'createdAt', label: 'Created at', type: 'date' });
    const products = fields.find((f: { name: string }) => f.name === 'products');
    expect(products.type).to.equal('array');
    expect(products.spec.map((f: { name: string }) => f.name)).to.deep.equal(['id', 'title', 'price', 'quantity']);
    expect(fields.find((f: { name: string }) => f.name === 'productIds').spec).to.deep.equal({ label: 'Product ID', type: 'text' });
  });

  it('groups the modules as their definitions say', () => {
    expect(parse('modules/groups.json').map((g: { label: string }) => g.label)).to.deep.equal(['Orders', 'Products', 'Customers', 'Subscriptions']);
  });

  it('documents the webhook registration in the app README', () => {
    const readme = tree.get('README.md')!;
    expect(readme).to.contain('Settings > Webhooks');
    expect(readme).to.contain('### Watch invoice paid');
  });

  it("writes the app's Docs for a Make user: the setup once, then each trigger, and no project internals", () => {
    for (const candidate of [app, loadApp(join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay'))]) {
      const readme = buildMakeTree(candidate).get('README.md')!;
      expect(readme.match(/## Setting up a trigger/g)).to.have.length(1);
      expect(readme).to.contain('click **Run once**');
      expect(readme.match(/^### /gm)).to.have.length(candidate.modules.length);
      expect(readme).to.not.match(/Module folder|schemas\/events\.json|do not edit|aliases|\{\{|provenance|runtime keeps/);
    }
  });

  describe('Make parity: the exported webhook, run as Make runs it, makes the samples', () => {
    /** The bundles Make makes from one request: condition, then iterate (container and item condition), then output. */
    function runAsMake(module: (typeof app.modules)[number], body: unknown, given?: Record<string, unknown>): unknown[] {
      const stem = makeWebhookId(module.name);
      const directive = parse(`webhooks/${stem}/${stem}.communication.iml.json`);
      const variables = { body, headers: {}, parameters: parameterValues(module, given) };
      const run = (value: unknown, extra: Record<string, unknown> = {}) => evaluateDirective(compileDirective(value), { variables: { ...variables, ...extra }, functions: builtinFunctions, timezone: 'UTC' });
      if (!isTruthy(run(directive.condition))) return [];
      const container = directive.iterate ? (run(directive.iterate.container) as unknown[]) : [undefined];
      const items = container.filter((item) => !directive.iterate?.condition || isTruthy(run(directive.iterate.condition, { item })));
      return items.map((item) => JSON.parse(JSON.stringify(run(directive.output, { item }))));
    }

    for (const module of app.modules) {
      it(`${makeModuleId(module.name)} reproduces every sample of ${module.name}`, () => {
        for (const sample of module.samples) expect(runAsMake(module, sample.payload, sample.parameters), sample.title).to.deep.equal(sample.bundles);
        const other = { type: 'some_other_event', data: module.samples[0].payload.data };
        expect(runAsMake(module, other)).to.deep.equal([]);
      });
    }

    describe('a cancellation in each observed shape (customer and products under data, or the order under data.order)', () => {
      const cancelled = app.modules.find((module) => module.name === 'watch-recurring-subscription-canceled')!;
      const customer = { id: 'cus_1', name: ' Ada Lovelace ', email: 'Ada@Example.com', addresses: { billing: [{ 'custom-billing-fields': [{ label: 'VAT', value: 'NL1' }] }] } };
      const products = [{ id: 'prod_a', title: 'A', price: 19, quantity: 1 }];
      const shapes: Array<[string, Record<string, unknown>]> = [
        ['under data', { products, customer, subscription: { id: 'sub_1' } }],
        ['under data.order', { order: { id: 'ord_1', products, customer }, subscription: { id: 'sub_1' } }],
      ];
      for (const [shape, data] of shapes) {
        it(`maps the customer and products ${shape} as the runtime does`, () => {
          const payload = { type: 'recurring_subscription_cancelled', data };
          const bundles = runAsMake(cancelled, payload) as Array<{ customer: Record<string, unknown>; productIds: unknown }>;
          expect(bundles).to.have.length(1);
          expect(bundles[0].customer).to.deep.equal({ id: 'cus_1', name: 'Ada Lovelace', email: 'ada@example.com', customFields: { VAT: 'NL1' } });
          expect(bundles[0].productIds).to.deep.equal(['prod_a']);
          const [runtime] = mapEvent(app, payload, { only: cancelled.name });
          expect(runtime.ok && runtime.bundles.map((bundle) => bundle.data)).to.deep.equal(bundles);
        });
      }
    });

    describe('a per-line sale whose payload has no products (left out of "Select data to include")', () => {
      const sale = app.modules.find((module) => module.name === 'watch-one-time-sale')!;
      const sample = sale.samples[0].payload as { data: { order: Record<string, unknown> } };
      const order = { ...sample.data.order };
      delete order.products;
      const payload = { ...sample, data: { ...sample.data, order } };

      it('makes one bundle of the whole event, with no order line, in Make and in the runtime alike', () => {
        const bundles = runAsMake(sale, payload, { bundlePerOrderLine: true }) as Array<Record<string, unknown>>;
        expect(bundles).to.have.length(1);
        expect(bundles[0]).to.not.have.property('orderLine');
        expect(bundles[0]).to.deep.include({ eventType: 'new_simple_sale', order: runAsMake(sale, payload).map((bundle) => (bundle as { order: unknown }).order)[0] });
        const [runtime] = mapEvent(app, payload, { only: sale.name, parameters: { bundlePerOrderLine: true } });
        expect(runtime.ok && runtime.bundles.map((bundle) => bundle.data)).to.deep.equal(bundles);
      });

      it('still makes one bundle per line when the products are there', () => {
        const lines = sample.data.order.products as unknown[];
        expect(lines.length).to.be.greaterThan(1);
        expect(runAsMake(sale, sale.samples[0].payload, { bundlePerOrderLine: true })).to.have.length(lines.length);
      });
    });
  });

  describe('plugnpaid-connector export', () => {
    it('writes the tree that makecomapp.json describes', async () => {
      const out = mkdtempSync(join(tmpdir(), 'plugnpaid-export-'));
      try {
        const run = await cli(['export', '--dir', out]);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.contain('14 instant triggers');
        const written: string[] = [];
        const walk = (dir: string) => readdirSync(dir).forEach((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : written.push(relative(out, join(dir, name)))));
        walk(out);
        expect(written.sort()).to.deep.equal([...tree.keys()].sort());
        expect(readFileSync(join(out, 'makecomapp.json'), 'utf8')).to.equal(tree.get('makecomapp.json'));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    it('writes the origin when given --zone-url and --app-id, keeping it (and its id mapping) on the next export', async () => {
      const out = mkdtempSync(join(tmpdir(), 'plugnpaid-export-'));
      try {
        const run = await cli(['export', '--dir', out, '--zone-url', 'https://eu2.make.com/api', '--app-id', 'plug-and-paid-x1y2z3']);
        expect(run.code, run.stderr).to.equal(0);
        const [origin] = JSON.parse(readFileSync(join(out, 'makecomapp.json'), 'utf8')).origins;
        expect(origin).to.deep.include({ baseUrl: 'https://eu2.make.com/api', appId: 'plug-and-paid-x1y2z3', appVersion: 1, apikeyFile: '.secrets/apikey' });
        expect(makeSchemaProblems(new Map([['makecomapp.json', readFileSync(join(out, 'makecomapp.json'), 'utf8')]])).problems).to.deep.equal([]);
        const mapped = JSON.parse(readFileSync(join(out, 'makecomapp.json'), 'utf8'));
        mapped.origins[0].idMapping.module.push({ local: 'watchOneTimeSale', remote: 'watchOneTimeSale' });
        writeFileSync(join(out, 'makecomapp.json'), JSON.stringify(mapped));
        expect((await cli(['export', '--dir', out])).code).to.equal(0);
        expect(JSON.parse(readFileSync(join(out, 'makecomapp.json'), 'utf8')).origins).to.deep.equal(mapped.origins);
        const half = await cli(['export', '--dir', out, '--zone-url', 'https://eu2.make.com/api']);
        expect(half.code).to.equal(2);
        expect(half.stderr).to.contain('Give --zone-url and --app-id together');
        const wrong = await cli(['export', '--dir', out, '--zone-url', 'https://eu2.make.com', '--app-id', 'x']);
        expect(wrong.code).to.equal(2);
        expect(wrong.stderr).to.contain('a zone URL is https://<zone>/api');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    it('removes the files an earlier export wrote and this one does not, and leaves other files alone', async () => {
      const out = mkdtempSync(join(tmpdir(), 'plugnpaid-export-'));
      try {
        expect((await cli(['export', '--dir', out])).code).to.equal(0);
        const makecomapp = JSON.parse(readFileSync(join(out, 'makecomapp.json'), 'utf8'));
        // As if an earlier version had exported one more RPC.
        makecomapp.components.rpc.listPlugs = { label: 'List plugs', connection: 'plugnpaid', codeFiles: { communication: 'rpcs/list-plugs/list-plugs.communication.iml.json', params: 'rpcs/list-plugs/list-plugs.params.iml.json' } };
        writeFileSync(join(out, 'makecomapp.json'), JSON.stringify(makecomapp));
        mkdirSync(join(out, 'rpcs', 'list-plugs'), { recursive: true });
        writeFileSync(join(out, 'rpcs/list-plugs/list-plugs.communication.iml.json'), '{}');
        writeFileSync(join(out, 'rpcs/list-plugs/list-plugs.params.iml.json'), '[]');
        mkdirSync(join(out, '.secrets'));
        writeFileSync(join(out, '.secrets', 'apikey'), 'kept');
        writeFileSync(join(out, 'NOTES.md'), 'kept');
        expect((await cli(['export', '--dir', out])).code).to.equal(0);
        expect(existsSync(join(out, 'rpcs'))).to.equal(false);
        expect(readFileSync(join(out, '.secrets', 'apikey'), 'utf8')).to.equal('kept');
        expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).to.equal('kept');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    it('uses the same folder flag and default as deploy', async () => {
      const help = async (command: string) => (await cli([command, '--help'])).stdout.replace(/\s+/g, ' ');
      for (const command of ['export', 'deploy']) {
        expect(await help(command)).to.contain('--dir <folder>');
        expect(await help(command)).to.contain('(default: "./make-app")');
        expect(await help(command)).to.contain('--zone-url <url>');
      }
    });

    it('refuses a definition Make cannot run, such as one calling a custom IML function', async () => {
      const copy = new AppCopy();
      const out = join(copy.dir, 'out');
      try {
        copy.edit('connector/rpcs/list-products.json', (rpc) => (rpc.communication.response.output.label = '{{productLabel(item)}}'));
        const run = await cli(['export', '--app', copy.dir, '--dir', out]);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.contain('Not exported');
        expect(run.stderr).to.contain("unknown IML function 'productLabel'");
        expect(existsSync(out)).to.equal(false);
      } finally {
        copy.remove();
      }
    });
  });

  it('writes the definitions\' labels, which are in sentence case as Make\'s naming page asks', () => {
    expect(sentenceCase('Watch Recurring Subscription Canceled')).to.equal('Watch recurring subscription canceled');
    expect(sentenceCase('Watch Plug&Paid SKU')).to.equal('Watch Plug&Paid SKU');
    for (const module of app.modules) {
      expect(module.label).to.equal(sentenceCase(module.label));
      expect(makecomapp.components.module[makeModuleId(module.name)].label).to.equal(module.label);
    }
  });
});
