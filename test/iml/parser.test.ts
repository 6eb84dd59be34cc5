import { expect } from 'chai';
import { ImlSyntaxError, compileTemplate, parseExpression } from '../../src/iml';
import { run } from './helpers';

const body = {
  type: 'new_simple_sale',
  data: { order: { id: 42, amount_total: 19.5, products: [{ id: 'p1', title: 'Book' }, { id: 'p2', title: 'Pen' }] } },
  'X-Key': 'dash',
};

describe('IML templates', () => {
  it('keeps the type of a template that is exactly one expression', () => {
    expect(run('{{body.data.order.id}}', { body })).to.equal(42);
    expect(run('{{body.data.order.products}}', { body })).to.deep.equal(body.data.order.products);
    expect(run('{{ body.data.order.amount_total }}', { body })).to.equal(19.5);
  });

  it('yields text when literal text surrounds an expression', () => {
    expect(run('Order {{body.data.order.id}}', { body })).to.equal('Order 42');
    expect(run('{{body.data.order.id}}{{body.type}}', { body })).to.equal('42new_simple_sale');
  });

  it('prints structures inside text as JSON and nothing as empty', () => {
    expect(run('p={{body.data.order.products[1]}}', { body })).to.equal('p={"id":"p1","title":"Book"}');
    expect(run('x={{body.missing}}', { body })).to.equal('x=');
  });

  it('returns a string with no braces unchanged', () => {
    expect(run('plain text', {})).to.equal('plain text');
  });

  it('indexes arrays from 1, and from the end with negative numbers', () => {
    expect(run('{{body.data.order.products[1].id}}', { body })).to.equal('p1');
    expect(run('{{body.data.order.products[-1].id}}', { body })).to.equal('p2');
    expect(run('{{body.data.order.products[0]}}', { body })).to.equal(undefined);
    expect(run('{{body.data.order.products[3]}}', { body })).to.equal(undefined);
  });

  it('reads awkward keys in backticks', () => {
    expect(run('{{body.`X-Key`}}', { body })).to.equal('dash');
    expect(run('{{`body`.type}}', { body })).to.equal('new_simple_sale');
  });

  it('gives undefined for a missing path instead of failing', () => {
    expect(run('{{body.a.b.c.d}}', { body })).to.equal(undefined);
    expect(run('{{nothing.at.all}}', {})).to.equal(undefined);
  });

  it('does not reach the prototype chain', () => {
    expect(run('{{body.constructor}}', { body })).to.equal(undefined);
    expect(run('{{body.__proto__}}', { body })).to.equal(undefined);
    expect(run('{{body.type.length}}', { body })).to.equal(undefined);
  });

  it('knows the literals and keywords', () => {
    expect(run("{{'single'}}")).to.equal('single');
    expect(run('{{"double"}}')).to.equal('double');
    expect(run("{{'it\\'s'}}")).to.equal("it's");
    expect(run('{{12.5}}')).to.equal(12.5);
    expect(run('{{true}}')).to.equal(true);
    expect(run('{{null}}')).to.equal(null);
    expect(run('{{emptystring}}')).to.equal('');
    expect(run('{{emptyarray}}')).to.deep.equal([]);
  });

  it('keeps braces that stand inside a string literal', () => {
    expect(run("{{'}}'}}")).to.equal('}}');
  });
});

describe('IML operators', () => {
  const cases: Array<[string, unknown]> = [
    ['{{1 + 2 * 3}}', 7],
    ['{{(1 + 2) * 3}}', 9],
    ['{{10 / 4}}', 2.5],
    ['{{10 % 4}}', 2],
    ['{{7 - 10}}', -3],
    ['{{-3 + 1}}', -2],
    ["{{'a' + 'b'}}", 'ab'],
    ["{{'n' + 1}}", 'n1'],
    ['{{1 / 0}}', undefined],
    ["{{1 - 'x'}}", undefined],
    ['{{1 == 1}}', true],
    ["{{1 == '1'}}", false],
    ['{{1 = 1}}', true],
    ['{{1 === 1}}', true],
    ['{{1 != 2}}', true],
    ["{{1 !== '1'}}", true],
    ['{{2 < 3}}', true],
    ['{{3 <= 3}}', true],
    ['{{2 > 3}}', false],
    ["{{'b' >= 'a'}}", true],
    ["{{2 < 'x'}}", false],
    ['{{true && false}}', false],
    ['{{false || true}}', true],
    ["{{'' || 'fallback'}}", 'fallback'],
    ['{{!true}}', false],
    ['{{!missing}}', true],
    ["{{!'false'}}", true],
    ['{{1 < 2 && 3 > 2 || false}}', true],
  ];
  for (const [template, expected] of cases) {
    it(`evaluates ${template} to ${JSON.stringify(expected)}`, () => {
      expect(run(template)).to.deep.equal(expected);
    });
  }

  it('compares dates by instant', () => {
    expect(run("{{parseDate('2024-01-01T00:00:00Z', 'YYYY-MM-DDTHH:mm:ssZ') == parseDate('2024-01-01T01:00:00+01:00', 'YYYY-MM-DDTHH:mm:ssZ')}}")).to.equal(true);
    expect(run("{{parseDate('2024-01-01', 'YYYY-MM-DD') < parseDate('2024-01-02', 'YYYY-MM-DD')}}")).to.equal(true);
  });
});

describe('IML syntax errors', () => {
  const broken: Array<[string, RegExp]> = [
    ['{{body.}}', /property name/],
    ['{{if(a; b; c)}}', /not ';'/],
    ['{{ }}', /empty expression/],
    ['{{body.id', /no matching/],
    ["{{'open}}", /no matching/],
    ["{{a.`key}}", /no matching/],
    ['{{1 +}}', /unexpected end/],
    ['{{a b}}', /unexpected 'b'/],
    ['{{#}}', /unexpected character/],
    ['{{f(1}}', /expected ',' or '\)'/],
    ['{{(1}}', /expected '\)'/],
  ];
  for (const [template, message] of broken) {
    it(`rejects ${template}`, () => {
      expect(() => compileTemplate(template)).to.throw(ImlSyntaxError, message);
    });
  }

  it('reports the offset of the problem inside the template', () => {
    try {
      compileTemplate('Hi {{body.}}');
      expect.fail('should not parse');
    } catch (error) {
      expect(error).to.be.instanceOf(ImlSyntaxError);
      expect((error as ImlSyntaxError).offset).to.equal(10);
    }
  });

  it('parses function calls with nested arguments', () => {
    expect(parseExpression("ifempty(lower(a.b), 'x')")).to.deep.equal({
      kind: 'call',
      name: 'ifempty',
      args: [
        { kind: 'call', name: 'lower', args: [{ kind: 'member', object: { kind: 'variable', name: 'a' }, property: 'b' }] },
        { kind: 'literal', value: 'x' },
      ],
    });
  });
});
