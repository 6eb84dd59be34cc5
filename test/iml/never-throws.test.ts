import { expect } from 'chai';
import fc from 'fast-check';
import { builtinFunctions, compileTemplate, evaluateTemplate, ImlEvaluationError } from '../../src/iml';

const names = Object.keys(builtinFunctions);

// Pieces of moment format strings, so random formats hit every token, escapes and literal text.
const formatPiece = fc.constantFrom(
  'Y', 'YY', 'YYYY', 'YYYYYY', 'Q', 'Qo', 'M', 'Mo', 'MM', 'MMM', 'MMMM', 'D', 'Do', 'DD', 'DDD', 'DDDo', 'DDDD', 'd', 'do', 'dd', 'ddd', 'dddd',
  'e', 'E', 'w', 'wo', 'ww', 'W', 'Wo', 'WW', 'gg', 'gggg', 'GG', 'GGGG', 'A', 'a', 'H', 'HH', 'h', 'hh', 'k', 'kk', 'm', 'mm', 's', 'ss',
  'S', 'SS', 'SSS', 'SSSSSS', 'z', 'zz', 'Z', 'ZZ', 'X', 'x', '[', ']', '[at]', 'T', '-', ':', '.', ' ', '/',
);
const format = fc.array(formatPiece, { maxLength: 8 }).map((pieces) => pieces.join(''));
const dateText = fc.oneof(
  fc.date({ noInvalidDate: false }).map((date) => (Number.isNaN(date.getTime()) ? 'not a date' : date.toISOString())),
  fc.stringMatching(/^[0-9]{1,4}[-/ .][0-9]{1,2}[-/ .][0-9]{1,4}( [0-9]{1,2}:[0-9]{2})?$/),
);
const value = fc.oneof(fc.anything(), fc.date({ noInvalidDate: false }), format, dateText, fc.double(), fc.constantFrom('Europe/Prague', 'Mars/Base', '', ',', '.'));

describe('the evaluator never throws a JavaScript error out of a function', () => {
  it('returns a value, or raises an IML error naming the function, for any function, argument count, value and format', () => {
    const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z][A-Za-z]{0,8}$/) });
    fc.assert(
      fc.property(name, fc.array(value, { maxLength: 5 }), fc.constantFrom('UTC', 'Europe/Amsterdam', 'Asia/Kolkata'), (fn, args, timezone) => {
        const variables = Object.fromEntries(args.map((arg, index) => [`a${index}`, arg]));
        const template = compileTemplate(`{{${fn}(${args.map((_, index) => `a${index}`).join(', ')})}}`);
        try {
          evaluateTemplate(template, { variables, functions: builtinFunctions, timezone });
        } catch (error) {
          expect(error, String(error)).to.be.instanceOf(ImlEvaluationError);
          expect((error as Error).message).to.contain(fn);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('runs every built-in body on unusable arguments without throwing at all', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(value, { maxLength: 5 }), (fn, args) => {
        builtinFunctions[fn].call(args, { variables: {}, functions: builtinFunctions, timezone: 'UTC' });
      }),
      { numRuns: 3000 },
    );
  });

  it('parses and formats every random format and date text without a TypeError', () => {
    fc.assert(
      fc.property(dateText, format, fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'), (text, pattern, timezone) => {
        const context = { variables: { text, pattern }, functions: builtinFunctions, timezone };
        const parsed = evaluateTemplate(compileTemplate('{{parseDate(text, pattern)}}'), context);
        expect(parsed === undefined || (parsed instanceof Date && !Number.isNaN(parsed.getTime()))).to.equal(true);
        const formatted = evaluateTemplate(compileTemplate('{{formatDate(text, pattern)}}'), context);
        expect(formatted === undefined || typeof formatted === 'string').to.equal(true);
      }),
      { numRuns: 2000 },
    );
  });
});
