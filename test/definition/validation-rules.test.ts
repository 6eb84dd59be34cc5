import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, ReportedProblem as Problem } from '../../src/definition/problems';
import { validateApp } from '../../src/definition/validate';
import { problemsAfter } from '../helpers/app-copy';

function expectProblem(problems: Problem[], expected: { file: string; module?: string; pointer?: string; message: RegExp }): void {
  const found = problems.find(
    (problem) =>
      problem.file === expected.file &&
      (expected.module === undefined || (problem.modules ?? []).includes(expected.module)) &&
      (expected.pointer === undefined || problem.pointer === expected.pointer) &&
      expected.message.test(problem.message),
  );
  expect(found, `expected a problem like ${JSON.stringify({ ...expected, message: String(expected.message) })} in:\n${problems.map(formatProblem).join('\n')}`).to.not.equal(undefined);
}

describe('validate', () => {
  it('accepts the shipped Plug&Paid app with no problem', () => {
    const { app, problems } = validateApp();
    expect(problems.map(formatProblem)).to.deep.equal([]);
    expect(app!.modules).to.have.length(14);
  });

  describe('meta-schemas', () => {
    it('reports a file that is not valid JSON with its line and column', () => {
      const problems = problemsAfter((app) => app.write('connector/webhook.json', '{\n  "label": "x",\n  oops\n}'));
      expectProblem(problems, { file: 'connector/webhook.json', message: /invalid JSON at line 3, column 3/ });
    });

    it('reports a missing module file at the module\'s entry in the manifest', () => {
      const problems = problemsAfter((app) => rmSync(join(app.dir, 'modules/watch-order-declined/module.json')));
      expectProblem(problems, { file: 'manifest.json', module: 'watch-order-declined', pointer: '/components/modules/6', message: /modules\/watch-order-declined\/module.json does not exist/ });
    });

    it('warns about a trigger without samples', () => {
      const problems = problemsAfter((app) => rmSync(join(app.dir, 'modules/watch-order-declined/samples.json')));
      expectProblem(problems, { file: 'manifest.json', module: 'watch-order-declined', message: /has no samples/ });
      expect(problems.map((problem) => problem.severity)).to.deep.equal(['warning']);
    });

    it('reports an unknown property in a module definition', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-invoice-paid/module.json', (m) => (m.lable = 'typo')));
      expectProblem(problems, { file: 'modules/watch-invoice-paid/module.json', module: 'watch-invoice-paid', message: /unknown property 'lable'/ });
    });

    it('reports a manifest without a payload version', () => {
      const problems = problemsAfter((app) => app.edit('manifest.json', (m) => delete m.payloadVersion));
      expectProblem(problems, { file: 'manifest.json', message: /payloadVersion/ });
    });

    it('reports a base without a sanitize list, so tokens could reach logs', () => {
      const problems = problemsAfter((app) => app.edit('connector/base.json', (b) => delete b.log));
      expectProblem(problems, { file: 'connector/base.json', message: /required property 'log'/ });
    });

    describe('the API rate (rateLimit in connector/base.json)', () => {
      it('reports a base without one, saying what to write', () => {
        const problems = problemsAfter((app) => app.edit('connector/base.json', (b) => delete b.rateLimit));
        expectProblem(problems, { file: 'connector/base.json', pointer: '', message: /rateLimit is missing: .*"rateLimit": \{ "requestsPerSecond": 10 \}/ });
      });

      for (const [value, shown] of [[0, '0'], [2.5, '2.5'], ['10', '"10"'], [5000, '5000']] as const) {
        it(`refuses requestsPerSecond ${shown}, naming the setting and the range`, () => {
          const problems = problemsAfter((app) => app.edit('connector/base.json', (b) => (b.rateLimit.requestsPerSecond = value)));
          expectProblem(problems, { file: 'connector/base.json', pointer: '/rateLimit/requestsPerSecond', message: new RegExp(`rateLimit.requestsPerSecond must be a whole number of requests per second from 1 to 1000, not ${shown.replace('.', '\\.')}$`) });
        });
      }

      it('refuses a rate that is not an object, and suggests the name of a misspelt field', () => {
        expectProblem(problemsAfter((app) => app.edit('connector/base.json', (b) => (b.rateLimit = 10))), { file: 'connector/base.json', pointer: '/rateLimit', message: /rateLimit must be an object such as/ });
        const problems = problemsAfter((app) => app.edit('connector/base.json', (b) => (b.rateLimit = { requestPerSecond: 10 })));
        expectProblem(problems, { file: 'connector/base.json', pointer: '/rateLimit/requestPerSecond', message: /unknown property 'requestPerSecond' in rateLimit/ });
        expect(problems.find((problem) => problem.pointer === '/rateLimit/requestPerSecond')!.suggestion).to.equal("did you mean 'requestsPerSecond'?");
      });
    });

    it('reports a connection parameter of an unknown type', () => {
      const problems = problemsAfter((app) => app.edit('connector/connection.json', (c) => (c.parameters[0].type = 'secret')));
      expectProblem(problems, { file: 'connector/connection.json', pointer: '/parameters/0/type', message: /must be one of/ });
    });

    it('reports an event with a provenance other than observed or assumed', () => {
      const problems = problemsAfter((app) => app.edit('schemas/events.json', (e) => (e.events.refund.provenance = 'guessed')));
      expectProblem(problems, { file: 'schemas/events.json', pointer: '/events/refund/provenance', message: /observed/ });
    });

    it('reports an output schema field with an unsupported keyword', () => {
      const problems = problemsAfter((app) =>
        app.edit('modules/watch-product-created/output.schema.json', (s) => (s.properties = { extra: { type: 'string', title: 'Extra', 'x-iml': '{{body.type}}', minLength: 2 } })),
      );
      expectProblem(problems, { file: 'modules/watch-product-created/output.schema.json', message: /unknown property 'minLength'/ });
    });
  });

  describe('references', () => {
    it('names the module whose webhook reference dangles', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-order-shipped/module.json', (m) => (m.webhook = 'nowhere')));
      expectProblem(problems, { file: 'modules/watch-order-shipped/module.json', module: 'watch-order-shipped', pointer: '/webhook', message: /webhook 'nowhere' does not exist/ });
    });

    it('reports a parameter reference that is not a shared parameter', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-abandoned-cart/module.json', (m) => m.parameters.push('colourFilter')));
      expectProblem(problems, { file: 'modules/watch-abandoned-cart/module.json', module: 'watch-abandoned-cart', message: /'colourFilter' is not defined/ });
    });

    it('reports a dropdown that uses an RPC that does not exist', () => {
      const problems = problemsAfter((app) => app.edit('connector/parameters.json', (p) => (p.productFilter.options = 'rpc://listPlugs')));
      expectProblem(problems, { file: 'connector/parameters.json', pointer: '/productFilter/options', message: /RPC 'listPlugs', which does not exist/ });
    });

    it('reports a $ref to a fragment that does not exist', () => {
      const problems = problemsAfter((app) => app.write('modules/watch-customers/output.schema.json', '{ "$ref": "../../schemas/bundles/nope.schema.json" }'));
      expectProblem(problems, { file: 'modules/watch-customers/output.schema.json', module: 'watch-customers', pointer: '/$ref', message: /nope.schema.json, which does not exist/ });
    });

    it('reports a catalogue event that names a module not in the manifest', () => {
      const problems = problemsAfter((app) => app.edit('schemas/events.json', (e) => e.events.refund.modules.push('watch-everything')));
      expectProblem(problems, { file: 'schemas/events.json', pointer: '/events/refund/modules/1', message: /'watch-everything' is not in manifest/ });
    });

    it('reports a catalogue event with an unknown payload kind', () => {
      const problems = problemsAfter((app) => app.edit('schemas/events.json', (e) => (e.events.refund.payload = 'refund')));
      expectProblem(problems, { file: 'schemas/events.json', pointer: '/events/refund/payload', message: /no schema/ });
    });

    it('reports an alias that two events claim', () => {
      const problems = problemsAfter((app) => app.edit('schemas/events.json', (e) => e.events.order_shipped.aliases.push('refund')));
      expectProblem(problems, { file: 'schemas/events.json', message: /'refund' is already used by event/ });
    });
  });

  describe('event catalogue coverage', () => {
    it('reports an event no module watches unless it is marked unwatched', () => {
      const event = { label: 'Customer created', provenance: 'assumed', payload: 'order', aliases: [], modules: [] };
      const problems = problemsAfter((app) => app.edit('schemas/events.json', (e) => (e.events.customer_created = event)));
      expectProblem(problems, { file: 'schemas/events.json', pointer: '/events/customer_created', message: /no module watches event 'customer_created'/ });
      const marked = problemsAfter((app) => app.edit('schemas/events.json', (e) => (e.events.customer_created = { ...event, unwatched: true })));
      expect(marked.map(formatProblem)).to.deep.equal([]);
    });

    it('reports a module that no event routes to', () => {
      const problems = problemsAfter((app) => app.edit('schemas/events.json', (e) => (e.events.product_deleted.modules = [])));
      expectProblem(problems, { file: 'schemas/events.json', module: 'watch-product-deleted', message: /no event in the catalogue routes to module/ });
    });
  });

  describe('templates', () => {
    it('names the module and file of a template that calls an unknown function', () => {
      const problems = problemsAfter((app) =>
        app.edit('modules/watch-product-updated/output.schema.json', (s) => {
          s.allOf = [{ $ref: s.$ref }, { type: 'object', properties: { slug: { type: 'string', title: 'Slug', 'x-iml': '{{slugify(body.data.product.name)}}' } } }];
          delete s.$ref;
        }),
      );
      expectProblem(problems, {
        file: 'modules/watch-product-updated/output.schema.json',
        module: 'watch-product-updated',
        pointer: '/allOf/1/properties/slug/x-iml',
        message: /unknown IML function 'slugify'.*custom IML functions on the target account/,
      });
    });

    it('reports a template with a syntax error and where it is', () => {
      const problems = problemsAfter((app) => app.edit('connector/rpcs/list-products.json', (r) => (r.communication.response.output.label = '{{item.name;}}')));
      expectProblem(problems, { file: 'connector/rpcs/list-products.json', pointer: '/communication/response/output/label', message: /IML syntax error at character 12/ });
    });

    it('reports an unknown function in the base error message', () => {
      const problems = problemsAfter((app) => app.edit('connector/base.json', (b) => (b.response.error.message = '{{explain(body)}}')));
      expectProblem(problems, { file: 'connector/base.json', pointer: '/response/error/message', message: /unknown IML function 'explain'/ });
    });

    it("reports '$' in a fragment used without a subject", () => {
      const problems = problemsAfter((app) =>
        app.write('modules/watch-customers/output.schema.json', '{ "$ref": "../../schemas/bundles/common.schema.json#/$defs/customer" }'),
      );
      expectProblem(problems, { file: 'schemas/bundles/common.schema.json', module: 'watch-customers', message: /uses '\$' but no x-iml-subject binds it/ });
    });

    it('reports an output field with neither a source nor properties', () => {
      const problems = problemsAfter((app) =>
        app.write('modules/watch-product-created/output.schema.json', '{ "type": "object", "properties": { "x": { "type": "string", "title": "X" } } }'),
      );
      expectProblem(problems, { file: 'modules/watch-product-created/output.schema.json', pointer: '/properties/x', message: /no x-iml source/ });
    });
  });

  describe('labels', () => {
    it('warns once, in the shared fragment, about an output field without a label', () => {
      const problems = problemsAfter((app) => app.edit('schemas/bundles/order.schema.json', (s) => delete s.$defs.order.properties.status.title));
      expectProblem(problems, { file: 'schemas/bundles/order.schema.json', module: 'watch-one-time-sale', pointer: '/$defs/order/properties/status', message: /no label/ });
      expect(problems).to.have.length(1);
      expect(problems[0].severity).to.equal('warning');
      expect(problems[0].modules).to.include.members(['watch-one-time-sale', 'watch-order-refunded', 'watch-invoice-paid']);
    });
  });

  describe('samples', () => {
    it('names the module and file of a sample that violates its output schema', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-order-refunded/samples.json', (s) => (s[0].bundles[0].order.amountTotal = 'a lot')));
      expectProblem(problems, { file: 'modules/watch-order-refunded/samples.json', module: 'watch-order-refunded', pointer: '/0/bundles/0/order/amountTotal', message: /must be number/ });
    });

    it('checks a sample\'s parameters with the same check as map and the API', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-order-refunded/samples.json', (s) => (s[0].parameters = { bundlePerOrderLines: true })));
      expectProblem(problems, { file: 'modules/watch-order-refunded/samples.json', module: 'watch-order-refunded', pointer: '/0/parameters', message: /unknown parameter 'bundlePerOrderLines' .*did you mean 'bundlePerOrderLine'/ });
    });

    it('reports a sample whose bundles are not what the mapping makes', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-invoice-paid/samples.json', (s) => (s[0].bundles[0].order.status = 'pending')));
      expectProblem(problems, { file: 'modules/watch-invoice-paid/samples.json', pointer: '/0/bundles/0/order/status', message: /different bundles.*order\.status: "pending" → "paid"/ });
    });

    it('reports a sample payload that does not match its payload schema', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-order-declined/samples.json', (s) => (s[1].payload.data = { products: [] })));
      expectProblem(problems, { file: 'modules/watch-order-declined/samples.json', pointer: '/1/payload/data', message: /payload must have required property 'order'/ });
    });

    it('reports a sample of an event the module does not watch', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-order-declined/samples.json', (s) => (s[1].payload.type = 'refund')));
      expectProblem(problems, { file: 'modules/watch-order-declined/samples.json', pointer: '/1/payload/type', message: /not one this module watches/ });
    });

    it('requires at least two samples per module', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-product-deleted/samples.json', (s) => s.splice(1)));
      expectProblem(problems, { file: 'modules/watch-product-deleted/samples.json', message: /must NOT have fewer than 2 items/ });
    });
  });

  describe('order lines', () => {
    it('requires orderLines when a module offers the product filter', () => {
      const problems = problemsAfter((app) => app.edit('modules/watch-order-refunded/module.json', (m) => delete m.orderLines));
      expectProblem(problems, { file: 'modules/watch-order-refunded/module.json', pointer: '', message: /need "orderLines"/ });
      expect(problems).to.have.length(1);
    });
  });
});
