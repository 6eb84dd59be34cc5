import { expect } from 'chai';
import { ImlEvaluationError } from '../../src/iml';
import { run } from './helpers';

type Row = [template: string, expected: unknown];

const body = {
  order: {
    id: 7,
    email: '  Ada@Example.COM ',
    products: [
      { id: 'p1', title: 'Book', price: 10 },
      { id: 'p2', title: 'Pen', price: 2.5 },
      { id: 3, title: 'Ink', price: 1 },
    ],
    fields: [
      { label: 'VAT number', value: 'NL123' },
      { label: 'Company', value: 'ACME' },
    ],
  },
};

function table(name: string, rows: Row[]): void {
  describe(name, () => {
    for (const [template, expected] of rows) {
      it(`${template} → ${JSON.stringify(expected)}`, () => {
        expect(run(template, { body })).to.deep.equal(expected);
      });
    }
  });
}

describe('IML built-in functions', () => {
  table('if', [
    ["{{if(true, 'a', 'b')}}", 'a'],
    ["{{if(body.missing, 'a', 'b')}}", 'b'],
    ["{{if(body.order.id == 7, 'seven', 'other')}}", 'seven'],
  ]);

  table('ifempty', [
    ["{{ifempty(body.missing, 'fallback')}}", 'fallback'],
    ["{{ifempty(null, 'fallback')}}", 'fallback'],
    ["{{ifempty('', 'fallback')}}", 'fallback'],
    ["{{ifempty(0, 'fallback')}}", 0],
    ["{{ifempty(false, 'fallback')}}", false],
    ["{{ifempty('x', 'fallback')}}", 'x'],
  ]);

  table('get', [
    ["{{get(body, 'order.id')}}", 7],
    ["{{get(body.order.products, '2.title')}}", 'Pen'],
    ["{{get(body.order, 'missing.path')}}", undefined],
    ["{{get(body.order.products, 1)}}", { id: 'p1', title: 'Book', price: 10 }],
    ["{{get(body, '')}}", undefined],
  ]);

  table('map', [
    ["{{map(body.order.products, 'id')}}", ['p1', 'p2', 3]],
    ["{{map(body.order.products, 'title', 'id', 'p2,3')}}", ['Pen', 'Ink']],
    ["{{map(body.order.products, 'title', 'id', ' p1 , p2 ')}}", ['Book', 'Pen']],
    ["{{map(body.order.products, 'missing')}}", []],
    ["{{map(body.order.id, 'id')}}", undefined],
  ]);

  table('first and last', [
    ['{{first(body.order.products).title}}', 'Book'],
    ['{{last(body.order.products).title}}', 'Ink'],
    ['{{first(emptyarray)}}', undefined],
    ['{{last(body.order.id)}}', undefined],
  ]);

  table('length', [
    ['{{length(body.order.products)}}', 3],
    ["{{length('hello')}}", 5],
    ['{{length(body.missing)}}', 0],
    ['{{length(body.order)}}', 0],
    ['{{length(1234)}}', 4],
  ]);

  table('join and split', [
    ["{{join(map(body.order.products, 'title'), ', ')}}", 'Book, Pen, Ink'],
    ["{{join(split('a,b,,c', ','), '|')}}", 'a|b|c'],
    ["{{split('a-b', '-')}}", ['a', 'b']],
    ["{{split(body.missing, '-')}}", undefined],
    ["{{join(body.order.id, ',')}}", undefined],
  ]);

  table('lower, upper and trim', [
    ['{{lower(trim(body.order.email))}}', 'ada@example.com'],
    ["{{upper('abc')}}", 'ABC'],
    ['{{trim(body.order.products)}}', undefined],
    ['{{lower(42)}}', '42'],
  ]);

  table('toString', [
    ['{{toString(body.order.id)}}', '7'],
    ['{{toString(body.missing)}}', ''],
    ['{{toString(true)}}', 'true'],
    ['{{toString(body.order.fields[1])}}', '{"label":"VAT number","value":"NL123"}'],
  ]);

  table('toCollection', [
    ["{{toCollection(body.order.fields, 'label', 'value')}}", { 'VAT number': 'NL123', Company: 'ACME' }],
    ["{{toCollection(body.missing, 'label', 'value')}}", undefined],
  ]);

  table('parseNumber', [
    ["{{parseNumber('1,234.50', '.')}}", 1234.5],
    ["{{parseNumber('1.234,50', ',')}}", 1234.5],
    ["{{parseNumber('12', '.')}}", 12],
    ["{{parseNumber(3.25, '.')}}", 3.25],
    ["{{parseNumber('twelve', '.')}}", undefined],
    ["{{parseNumber(body.missing, '.')}}", undefined],
  ]);

  table('contains', [
    ["{{contains('hello world', 'world')}}", true],
    ["{{contains(map(body.order.products, 'id'), 'p2')}}", true],
    ["{{contains(map(body.order.products, 'id'), 'p9')}}", false],
    ["{{contains(body.order, 'id')}}", true],
    ["{{contains(body.missing, 'x')}}", false],
  ]);

  table('add', [
    ['{{add(emptyarray, 1, 2)}}', [1, 2]],
    ["{{add(body.missing, 'x')}}", undefined],
  ]);

  describe('parseDate and formatDate', () => {
    it('parses ISO 8601 with an offset, as Plug&Paid sends it, into Make\'s canonical form', () => {
      expect((run("{{parseDate('2024-03-05T10:20:30Z', 'YYYY-MM-DDTHH:mm:ssZ')}}") as Date).toISOString()).to.equal('2024-03-05T10:20:30.000Z');
      expect((run("{{parseDate('2024-03-05T10:20:30+02:00', 'YYYY-MM-DDTHH:mm:ssZ')}}") as Date).toISOString()).to.equal('2024-03-05T08:20:30.000Z');
      expect((run("{{parseDate('2024-03-05T10:20:30+0200', 'YYYY-MM-DDTHH:mm:ssZZ')}}") as Date).toISOString()).to.equal('2024-03-05T08:20:30.000Z');
    });

    it('reads a date without an offset in the given zone', () => {
      expect((run("{{parseDate('2024-03-05 10:00', 'YYYY-MM-DD HH:mm', 'Europe/Amsterdam')}}") as Date).toISOString()).to.equal('2024-03-05T09:00:00.000Z');
      expect((run("{{parseDate('2024-07-01T00:00:00', 'YYYY-MM-DDTHH:mm:ss')}}", {}, 'Europe/Amsterdam') as Date).toISOString()).to.equal('2024-06-30T22:00:00.000Z');
    });

    it('parses unix seconds with X and milliseconds with x', () => {
      expect((run("{{parseDate('1700000000', 'X')}}") as Date).toISOString()).to.equal('2023-11-14T22:13:20.000Z');
      expect((run("{{parseDate(1700000000000, 'x')}}") as Date).toISOString()).to.equal('2023-11-14T22:13:20.000Z');
    });

    it('parses day-first text with an explicit format', () => {
      expect((run("{{parseDate('05/03/2024', 'DD/MM/YYYY')}}") as Date).toISOString()).to.equal('2024-03-05T00:00:00.000Z');
    });

    it('gives no date for text that does not match', () => {
      expect(run("{{parseDate('not a date', 'YYYY-MM-DD')}}")).to.equal(undefined);
      expect(run("{{parseDate('31/31/2024', 'DD/MM/YYYY')}}")).to.equal(undefined);
      expect(run("{{parseDate('abc', 'X')}}")).to.equal(undefined);
      expect(run("{{parseDate(body.missing, 'YYYY')}}")).to.equal(undefined);
    });

    it('formats a date in a zone', () => {
      expect(run("{{formatDate(parseDate('2024-03-05T23:30:00Z', 'YYYY-MM-DDTHH:mm:ssZ'), 'YYYY-MM-DD HH:mm', 'Europe/Amsterdam')}}")).to.equal('2024-03-06 00:30');
      expect(run("{{formatDate('2024-03-05T10:00:00Z', 'DD.MM.YYYY')}}")).to.equal('05.03.2024');
      expect(run("{{formatDate(parseDate('1700000000', 'X'), 'X')}}")).to.equal('1700000000');
      expect(run("{{formatDate(body.missing, 'YYYY')}}")).to.equal(undefined);
    });

    it('falls back to the context zone for an unknown zone name', () => {
      expect(run("{{formatDate('2024-03-05T10:00:00Z', 'HH:mm', 'Mars/Base')}}")).to.equal('10:00');
    });
  });

  describe('calling conventions', () => {
    it('rejects an unknown function when evaluated', () => {
      expect(() => run('{{nope(1)}}')).to.throw(ImlEvaluationError, "unknown IML function 'nope'");
    });

    it('rejects a wrong number of arguments', () => {
      expect(() => run('{{if(1, 2)}}')).to.throw(ImlEvaluationError, 'if() takes 3 arguments (Make documents if(expression, value1, value2)), got 2');
      expect(() => run("{{parseDate('2024-01-01')}}")).to.throw(ImlEvaluationError, 'Make documents parseDate(text, format, [timezone])');
      expect(() => run("{{map(body, 'a', 'b', 'c', 'd')}}")).to.throw(ImlEvaluationError, '2 to 4 arguments');
    });
  });
});
