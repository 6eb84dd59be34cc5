import { expect } from 'chai';
import { join } from 'node:path';
import { DEFAULT_APP_DIR } from '../../src/definition/loader';
import { formatProblem } from '../../src/definition/problems';
import { validateApp } from '../../src/definition/validate';
import { AppCopy, problemsAfter } from '../helpers/app-copy';

const ORDER = 'schemas/bundles/order.schema.json';

function setCreatedAt(template: string) {
  return (app: AppCopy) => app.edit(ORDER, (schema) => (schema.$defs.order.properties.createdAt['x-iml'] = template));
}

describe('validate: IML as Make documents it', () => {
  it('fails on a one-argument parseDate once, in the shared fragment, naming the documented signature and the modules', () => {
    const problems = problemsAfter(setCreatedAt('{{parseDate($.created_at)}}'));
    const found = problems.filter((problem) => /parseDate\(\) is called with 1 argument/.test(problem.message));
    expect(found, problems.map(formatProblem).join('\n')).to.have.length(1);
    expect(found[0]).to.include({ file: ORDER, pointer: '/$defs/order/properties/createdAt/x-iml' });
    expect(found[0].message).to.equal('parseDate() is called with 1 argument, but Make documents parseDate(text, format, [timezone]) (https://help.make.com/date-and-time-functions)');
    expect(found[0].modules).to.include('watch-one-time-sale');
  });

  it('fails on null, a scenario-mapping keyword that neither the custom-app IML page nor Make\'s IML grammar lists', () => {
    const problems = problemsAfter((app) =>
      app.edit('modules/watch-one-time-sale/module.json', (module) => (module.orderLines = '{{ifempty(body.data.order.products, null)}}')),
    );
    const found = problems.find((problem) => problem.file === 'modules/watch-one-time-sale/module.json' && /'null' is a scenario-mapping keyword/.test(problem.message));
    expect(found, problems.map(formatProblem).join('\n')).to.not.equal(undefined);
    expect(found!.pointer).to.equal('/orderLines');
  });

  it('accepts undefined, emptyarray and emptystring, the keywords of Make\'s IML grammar', () => {
    const problems = problemsAfter((app) =>
      app.edit('modules/watch-one-time-sale/module.json', (module) => (module.orderLines = '{{ifempty(body.data.order.products, if(emptystring == undefined, undefined, emptyarray))}}')),
    );
    expect(problems.map(formatProblem)).to.deep.equal([]);
  });

  it('refuses member access on a call or on a parenthesised expression, naming the documented form', () => {
    const problems = problemsAfter((app) =>
      app.edit(ORDER, (schema) => {
        schema.$defs.order.properties.id['x-iml'] = '{{ifempty(body.data.order, body.data).id}}';
        schema.$defs.order.properties.status['x-iml'] = '{{(body.data.order)[1]}}';
      }),
    );
    const found = problems.filter((problem) => problem.file === ORDER && /of a function's result or of a parenthesised expression/.test(problem.message));
    expect(found.map((problem) => problem.pointer), problems.map(formatProblem).join('\n')).to.have.members(['/$defs/order/properties/id/x-iml', '/$defs/order/properties/status/x-iml']);
    expect(found[0].message).to.contain('ifempty(a.id, b.id)');
  });

  it('writes a fragment bound to ifempty(a, b) as a fallback per field, ifempty(a.id, b.id), which validate accepts', () => {
    const cancelled = validateApp().app!.modules.find((module) => module.name === 'watch-recurring-subscription-canceled')!;
    const customer = (cancelled.mapping.output as { customer: Record<string, string> }).customer;
    expect(customer.id).to.equal('{{ifempty(body.data.customer.id, body.data.order.customer.id)}}');
    expect(JSON.stringify(cancelled.mapping.output)).to.not.match(/\)\.|\)\[/);
  });

  it('fails on too many arguments and on a variable Make does not document', () => {
    const problems = problemsAfter(setCreatedAt("{{lower(query.x, 'y')}}")).map(formatProblem);
    expect(problems.some((text) => /lower\(\) is called with 2 arguments, but Make documents lower\(text\) \(https:\/\/help\.make\.com\/text-and-binary-functions\)/.test(text))).to.equal(true);
    expect(problems.some((text) => /unknown variable 'query'/.test(text))).to.equal(true);
  });

  it('accepts both shipped apps', () => {
    expect(validateApp().problems.map(formatProblem)).to.deep.equal([]);
    expect(validateApp(join(DEFAULT_APP_DIR, 'apps', 'plug-and-pay')).problems.map(formatProblem)).to.deep.equal([]);
  });
});
