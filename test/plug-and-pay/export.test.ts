import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from '../../src/definition/loader';
import { buildMakeTree } from '../../src/export/make-layout';
import { makeModuleId, makeWebhookId } from '../../src/export/make-names';
import { builtinFunctions, compileDirective, evaluateDirective } from '../../src/iml';
import { isTruthy } from '../../src/iml/values';
import { cli } from '../helpers/cli';
import { makeSchemaProblems } from '../helpers/make-schemas';
import { PLUG_AND_PAY_DIR } from './app.test';

const app = loadApp(PLUG_AND_PAY_DIR);
const tree = buildMakeTree(app);
const parse = (path: string) => JSON.parse(tree.get(path)!);
const makecomapp = parse('makecomapp.json');
const webhookDefaults = { signatureScheme: 'hmac-sha256-hex', signatureHeader: 'Signature', signaturePrefix: '', webhookKey: 'whk_3a1f0c9b8e7d6c5b' };

function run(value: unknown, variables: Record<string, unknown>): unknown {
  return evaluateDirective(compileDirective(value), { variables, functions: builtinFunctions, timezone: 'UTC' });
}

describe('Plug&Pay export to Make', () => {
  it('passes the same Make-schema checks as the root app', () => {
    const { problems, checked } = makeSchemaProblems(tree);
    expect(problems).to.deep.equal([]);
    expect(checked).to.equal(tree.size - 1);
  });

  it('gives each trigger the connection and its own API request, and each webhook the key parameters', () => {
    const modules = Object.values(makecomapp.components.module) as Array<{ connection: string; webhook: string; codeFiles: { communication: string } }>;
    expect(modules).to.have.length(6);
    for (const module of modules) {
      expect(module.connection).to.equal('plugandpay');
      expect(parse(module.codeFiles.communication).url).to.match(/^\/(orders|subscriptions|affiliates\/sellers)\/\{\{payload\.triggerable_id\}\}$/);
    }
    expect(makecomapp.components.connection.plugandpay).to.include({ connectionType: 'basic' });
    // The prefix serves only the HMAC check, which Make cannot run; the key only the shared token, so it is optional.
    const params = parse('webhooks/order-paid/order-paid.params.iml.json') as Array<{ name: string; required?: boolean }>;
    expect(params.map((parameter) => parameter.name)).to.deep.equal(['webhookKey', 'signatureScheme', 'signatureHeader']);
    expect(params[0].required).to.equal(false);
    const base = parse('general/base.iml.json');
    expect(base.headers).to.include({ Accept: 'application/json', Authorization: 'Bearer {{connection.apiToken}}' });
    // docs.plugandpay.nl/docs/plug-pay/api: host api.plugandpay.nl/v2, Accept and User-Agent required.
    expect(base.baseUrl).to.equal('https://api.plugandpay.nl/v2');
    expect(base.headers['User-Agent']).to.equal('CustomApiCall/2');
    const connection = parse('connections/plugandpay/plugandpay.communication.iml.json');
    expect(connection.url).to.equal('https://api.plugandpay.nl/v2/auth/tenants/me');
    expect(connection.headers).to.deep.equal({ ...base.headers, Authorization: 'Bearer {{parameters.apiToken}}' });
    for (const text of tree.values()) expect(text).to.not.contain('whk_');
  });

  describe('Make parity: webhook condition and output, then the module request\'s output, make the samples', () => {
    for (const module of app.modules) {
      const webhook = parse(`webhooks/${makeWebhookId(module.name)}/${makeWebhookId(module.name)}.communication.iml.json`);
      const moduleStem = makeModuleId(module.name).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const communication = parse(`modules/${moduleStem}/${moduleStem}.communication.iml.json`);
      // The product filter and per-line bundles need the fetched lines, which Make cannot iterate: runtime only.
      const samples = module.samples.filter((sample) => !sample.parameters);
      it(`${makeModuleId(module.name)} reproduces ${samples.length} sample(s), checks a shared token and drops foreign events`, () => {
        expect(samples.length).to.be.greaterThan(0);
        for (const sample of samples) {
          const headers = { signature: 'a1b2c3' };
          expect(isTruthy(run(webhook.condition, { body: sample.payload, headers, parameters: webhookDefaults })), sample.title).to.equal(true);
          const payload = JSON.parse(JSON.stringify(run(webhook.output, { body: sample.payload, headers, parameters: webhookDefaults })));
          const bundle = JSON.parse(JSON.stringify(run(communication.response.output, { payload, body: sample.response, parameters: {} })));
          expect([bundle], sample.title).to.deep.equal(sample.bundles);
          // Make cannot recompute an HMAC, so it asks for no header: a guessed header name can never stop the trigger.
          expect(isTruthy(run(webhook.condition, { body: sample.payload, headers: {}, parameters: webhookDefaults })), 'HMAC scheme, no header').to.equal(true);
          expect(isTruthy(run(webhook.condition, { body: sample.payload, headers: {}, parameters: { signatureScheme: 'hmac-sha256-hex' } })), 'HMAC scheme, no key').to.equal(true);
          const token = { ...webhookDefaults, signatureScheme: 'token', signatureHeader: 'X-Plug-Token' };
          const withHeaders = (given: Record<string, string>) => isTruthy(run(webhook.condition, { body: sample.payload, headers: given, parameters: token }));
          expect(withHeaders({}), 'no token').to.equal(false);
          expect(withHeaders({ 'x-plug-token': 'guess' }), 'wrong token').to.equal(false);
          expect(withHeaders({ 'x-plug-token': webhookDefaults.webhookKey }), 'right token, lower-cased header').to.equal(true);
          expect(withHeaders({ 'X-Plug-Token': webhookDefaults.webhookKey }), 'right token, header as typed').to.equal(true);
        }
        const other = { ...module.samples[0].payload, trigger_type: 'some_other_trigger' };
        expect(isTruthy(run(webhook.condition, { body: other, headers: { signature: 'x' }, parameters: webhookDefaults }))).to.equal(false);
      });
    }
  });

  it('shows a date-only value as the same day in UTC−8: Make gets it as text, not as a time at UTC midnight', () => {
    const ended = app.modules.find((module) => module.name === 'watch-subscription-ended')!;
    const communication = parse('modules/watch-subscription-ended/watch-subscription-ended.communication.iml.json');
    const sample = ended.samples[0];
    const payload = JSON.parse(JSON.stringify(run(parse('webhooks/subscription-ended/subscription-ended.communication.iml.json').output, { body: sample.payload, headers: {}, parameters: webhookDefaults })));
    const inLosAngeles = evaluateDirective(compileDirective(communication.response.output), { variables: { payload, body: sample.response, parameters: {} }, functions: builtinFunctions, timezone: 'America/Los_Angeles' });
    const { schedule } = JSON.parse(JSON.stringify(inLosAngeles));
    const answered = (sample.response as { data: { billing: { schedule: { last_at: string; termination_at: string } } } }).data.billing.schedule;
    expect(schedule).to.include({ lastAt: answered.last_at, terminationAt: answered.termination_at });
    expect(schedule.lastAt).to.equal('2026-10-19');
    const fields = parse('modules/watch-subscription-ended/watch-subscription-ended.interface.iml.json') as Array<{ name: string; spec?: Array<{ name: string; type: string }> }>;
    const scheduleSpec = fields.find((field) => field.name === 'schedule')!.spec!;
    expect(scheduleSpec.filter((field) => field.name === 'lastAt' || field.name === 'terminationAt').map((field) => field.type)).to.deep.equal(['text', 'text']);
  });

  it('exports no RPC: no parameter offered in Make uses listProducts (the runtime and inspector do)', () => {
    expect(makecomapp.components.rpc).to.deep.equal({});
    expect(app.rpcs).to.have.property('listProducts');
  });

  it('runs `export --app` into a folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'plugandpay-export-'));
    try {
      const result = await cli(['export', '--app', PLUG_AND_PAY_DIR, '--dir', out]);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.contain('1 connection, 6 webhooks, 6 instant triggers, 0 RPCs');
      expect(readdirSync(out).sort()).to.deep.equal(['README.md', 'connections', 'general', 'makecomapp.json', 'modules', 'webhooks']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
