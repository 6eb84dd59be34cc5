import { expect } from 'chai';
import { parameterProblems } from '../../src/definition/parameter-check';
import { loadApp } from '../../src/definition/loader';
import type { Parameter } from '../../src/definition/types';

describe('Trigger parameters are checked against the module definition', () => {
  const module = loadApp().modules.find((candidate) => candidate.name === 'watch-one-time-sale')!;
  const check = (given: unknown) => parameterProblems(module.name, module.parameters, given);

  it('accepts the defined parameters with their types', () => {
    expect(check({})).to.deep.equal([]);
    expect(check({ products: ['prod_course', 'prod_book'], bundlePerOrderLine: true })).to.deep.equal([]);
  });

  it('names an unknown parameter and suggests the one that was meant', () => {
    expect(check({ bundlePerOrderLines: true })).to.deep.equal([
      "unknown parameter 'bundlePerOrderLines' for watch-one-time-sale; did you mean 'bundlePerOrderLine'? (known: products, bundlePerOrderLine)",
    ]);
  });

  it('suggests nothing for a name that is nowhere near', () => {
    expect(check({ colour: 'red' })[0]).to.equal("unknown parameter 'colour' for watch-one-time-sale (known: products, bundlePerOrderLine)");
  });

  it('says a product filter must be a list, showing the list a lone id was meant to be', () => {
    expect(check({ products: 'prod_course' })).to.deep.equal([
      `parameter 'products' must be a list, each a text (an option value, e.g. an id), not the text "prod_course" (write ["prod_course"])`,
    ]);
    expect(check({ products: [12] })[0]).to.contain("parameter 'products' must be a list, each a text");
  });

  it('says a switch must be true or false', () => {
    expect(check({ bundlePerOrderLine: 'yes' })).to.deep.equal([`parameter 'bundlePerOrderLine' must be true or false, not the text "yes"`]);
  });

  it('refuses parameters that are not an object', () => {
    expect(check(['products'])).to.deep.equal(['parameters must be a JSON object such as {"products": …}, not a list']);
    expect(check('x')[0]).to.contain('not the text "x"');
  });

  it('checks static options, numbers and required parameters of other Make types', () => {
    const definitions: Parameter[] = [
      { name: 'mode', label: 'Mode', type: 'select', options: [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }] },
      { name: 'count', label: 'Count', type: 'uinteger' },
      { name: 'since', label: 'Since', type: 'date' },
      { name: 'name', label: 'Name', type: 'text', required: true },
    ];
    expect(parameterProblems('m', definitions, { mode: 'c', count: -1, since: 'yesterday' })).to.deep.equal([
      `parameter 'mode' must be one of "a", "b", not the text "c"`,
      "parameter 'count' must be a whole number ≥ 0, not number -1",
      `parameter 'since' must be a date (ISO 8601 text), not the text "yesterday"`,
      "parameter 'name' is required",
    ]);
    expect(parameterProblems('m', definitions, { mode: 'b', count: 3, since: '2026-11-23', name: 'x' })).to.deep.equal([]);
  });
});
