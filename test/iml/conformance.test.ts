import { expect } from 'chai';
import { run } from './helpers';

/**
 * Make's documented examples and token tables, run through our evaluator. Each case names its page:
 *   DATE  help.make.com/date-and-time-functions (stored copy: make.com/en/help/functions/date---time-functions.html,
 *         mirrored at doc.ibexa.co/projects/connect/en/latest/functions/date_and_time_functions)
 *   FMT   help.make.com/tokens-for-datetime-formatting (moment.js's formatting tokens)
 *   PARSE help.make.com/tokens-for-datetime-parsing (moment.js's parsing tokens; mirrored by Ibexa Connect)
 *   GEN   help.make.com/general-functions, TEXT help.make.com/text-and-binary-functions,
 *   ARRAY help.make.com/array-functions, MATH help.make.com/math-functions
 * Expected values of the token tables are moment.js's output for the instant and zone (week numbers and days
 * of year checked against Python's ISO calendar), not what our code printed.
 */
type Case = [page: string, template: string, expected: unknown, variables?: Record<string, unknown>, zone?: string];

function conform(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const [page, template, expected, variables, zone] of cases) {
      it(`${page}: ${template}${zone ? ` (zone ${zone})` : ''} → ${JSON.stringify(expected)}`, () => {
        const value = run(template, variables ?? {}, zone ?? 'UTC');
        expect(value instanceof Date ? value.toISOString() : value).to.deep.equal(expected);
      });
    }
  });
}

// DATE's examples: "The Organization's and Web's timezone were both set to Europe/Prague"; the date is 1 Oct 2018 09:32 there.
const created = { created: new Date('2018-10-01T07:32:00.000Z') };
const PRAGUE = 'Europe/Prague';

describe("Make's documented examples and token tables", () => {
  conform('date functions (DATE)', [
    ['DATE example 5', "{{formatDate(created, 'MM/DD/YYYY')}}", '10/01/2018', created, PRAGUE],
    ['DATE example 6', "{{formatDate(created, 'YYYY-MM-DD hh:mm A')}}", '2018-10-01 09:32 AM', created, PRAGUE],
    ['DATE example 7', "{{formatDate(created, 'DD.MM.YYYY HH:mm', 'UTC')}}", '01.10.2018 07:32', created, PRAGUE],
    // The page's texts for parseDate ("12-10-2019 20:30", "Aug 18, 2019 10:00 AM"), read in the organization's zone.
    ['DATE parseDate text', "{{parseDate('12-10-2019 20:30', 'DD-MM-YYYY HH:mm')}}", '2019-10-12T18:30:00.000Z', {}, PRAGUE],
    ['DATE parseDate text', "{{parseDate('Aug 18, 2019 10:00 AM', 'MMM D, YYYY hh:mm A')}}", '2019-08-18T08:00:00.000Z', {}, PRAGUE],
    ['DATE timezone argument', "{{parseDate('12-10-2019 20:30', 'DD-MM-YYYY HH:mm', 'UTC')}}", '2019-10-12T20:30:00.000Z', {}, PRAGUE],
    ['DATE unknown zone is ignored', "{{formatDate(created, 'HH:mm', 'Prague')}}", '09:32', created, PRAGUE],
  ]);

  const instant = { t: new Date('2026-01-01T13:03:11.456Z') };
  const fmt = (token: string, expected: string, zone = 'UTC', at: Record<string, unknown> = instant): Case => ['FMT', `{{formatDate(t, '${token}')}}`, expected, at, zone];
  const on = (iso: string) => ({ t: new Date(iso) });
  conform('formatting tokens (FMT), Thursday 2026-01-01 13:03:11.456 UTC', [
    fmt('M', '1'), fmt('Mo', '1st'), fmt('MM', '01'), fmt('MMM', 'Jan'), fmt('MMMM', 'January'),
    fmt('Q', '1'), fmt('Qo', '1st'),
    fmt('D', '1'), fmt('Do', '1st'), fmt('DD', '01'),
    fmt('DDD', '1'), fmt('DDDo', '1st'), fmt('DDDD', '001'),
    fmt('d', '4'), fmt('do', '4th'), fmt('dd', 'Th'), fmt('ddd', 'Thu'), fmt('dddd', 'Thursday'),
    fmt('e', '4'), fmt('E', '4'),
    fmt('w', '1'), fmt('wo', '1st'), fmt('ww', '01'), fmt('W', '1'), fmt('Wo', '1st'), fmt('WW', '01'),
    fmt('YY', '26'), fmt('YYYY', '2026'), fmt('Y', '2026'),
    fmt('gg', '26'), fmt('gggg', '2026'), fmt('GG', '26'), fmt('GGGG', '2026'),
    fmt('A', 'PM'), fmt('a', 'pm'),
    fmt('H', '13'), fmt('HH', '13'), fmt('h', '1'), fmt('hh', '01'), fmt('k', '13'), fmt('kk', '13'),
    fmt('m', '3'), fmt('mm', '03'), fmt('s', '11'), fmt('ss', '11'),
    fmt('S', '4'), fmt('SS', '45'), fmt('SSS', '456'), fmt('SSSS', '4560'),
    fmt('Z', '+00:00'), fmt('ZZ', '+0000'), fmt('X', '1767272591'), fmt('x', '1767272591456'),
    fmt('[Week] W [of] GGGG', 'Week 1 of 2026'),
  ]);
  conform('formatting tokens (FMT) in other zones', [
    fmt('YYYY-MM-DD HH:mm Z', '2026-01-01 18:33 +05:30', 'Asia/Kolkata'),
    fmt('h:mm a ZZ', '8:03 am -0500', 'America/New_York'),
    fmt('kk:mm', '08:03', 'America/New_York'),
    fmt('X', '1767272591', 'America/New_York'),
    // 02:00 UTC on 1 Jan 2026 is still 31 Dec 2025 in New York: a Wednesday in ISO week 1 of 2026.
    fmt('YYYY-MM-DD dddd DDD Q Qo Mo do E e', '2025-12-31 Wednesday 365 4 4th 12th 3rd 3 3', 'America/New_York', on('2026-01-01T02:00:00Z')),
    fmt('W GGGG w gggg', '1 2026 1 2026', 'America/New_York', on('2026-01-01T02:00:00Z')),
  ]);
  conform('week-year tokens (FMT) at year ends', [
    fmt('W WW Wo GGGG GG', '53 53 53rd 2020 20', 'UTC', on('2021-01-01T12:00:00Z')),
    fmt('w ww gggg gg', '1 01 2021 21', 'UTC', on('2021-01-01T12:00:00Z')),
    fmt('W GGGG w gggg DDD DDDD DDDo E', '1 2025 1 2025 365 365 365th 1', 'UTC', on('2024-12-30T10:00:00Z')),
    fmt('W w DDD d', '29 29 196 3', 'UTC', on('2026-07-15T12:00:00Z')),
    fmt('Do', '2nd', 'UTC', on('2026-03-02T12:00:00Z')), fmt('Do', '3rd', 'UTC', on('2026-03-03T12:00:00Z')),
    fmt('Do', '11th', 'UTC', on('2026-03-11T12:00:00Z')), fmt('Do', '12th', 'UTC', on('2026-03-12T12:00:00Z')),
    fmt('Do', '13th', 'UTC', on('2026-03-13T12:00:00Z')), fmt('Do', '21st', 'UTC', on('2026-03-21T12:00:00Z')),
    fmt('Do', '22nd', 'UTC', on('2026-03-22T12:00:00Z')), fmt('Do', '23rd', 'UTC', on('2026-03-23T12:00:00Z')),
  ]);

  const parse = (text: string, format: string, expected: string | undefined, zone = 'UTC'): Case => ['PARSE', `{{parseDate('${text}', '${format}')}}`, expected, {}, zone];
  conform('parsing tokens (PARSE)', [
    parse('2014', 'YYYY', '2014-01-01T00:00:00.000Z'), parse('14', 'YY', '2014-01-01T00:00:00.000Z'), parse('69', 'YY', '1969-01-01T00:00:00.000Z'),
    parse('2014', 'Y', '2014-01-01T00:00:00.000Z'),
    parse('3 2014', 'Q YYYY', '2014-07-01T00:00:00.000Z'),
    parse('2014-9', 'YYYY-M', '2014-09-01T00:00:00.000Z'), parse('2014-09', 'YYYY-MM', '2014-09-01T00:00:00.000Z'),
    parse('Sep 2014', 'MMM YYYY', '2014-09-01T00:00:00.000Z'), parse('September 2014', 'MMMM YYYY', '2014-09-01T00:00:00.000Z'),
    parse('2014-09-5', 'YYYY-MM-D', '2014-09-05T00:00:00.000Z'), parse('2014-09-05', 'YYYY-MM-DD', '2014-09-05T00:00:00.000Z'),
    parse('5th September 2014', 'Do MMMM YYYY', '2014-09-05T00:00:00.000Z'),
    parse('2024 60', 'YYYY DDD', '2024-02-29T00:00:00.000Z'), parse('2024 060', 'YYYY DDDD', '2024-02-29T00:00:00.000Z'),
    parse('1410715640.579', 'X', '2014-09-14T17:27:20.579Z'), parse('1410715640579', 'x', '2014-09-14T17:27:20.579Z'),
    parse('Tue 2024-03-05', 'ddd YYYY-MM-DD', '2024-03-05T00:00:00.000Z'), parse('Tuesday 2024-03-05', 'dddd YYYY-MM-DD', '2024-03-05T00:00:00.000Z'),
    parse('Wed 2024-03-05', 'ddd YYYY-MM-DD', undefined),
    parse('2025-W01-1', 'GGGG-[W]WW-E', '2024-12-30T00:00:00.000Z'), parse('25 1 3', 'GG W E', '2025-01-01T00:00:00.000Z'),
    parse('2024-03-05 7', 'YYYY-MM-DD H', '2024-03-05T07:00:00.000Z'), parse('2024-03-05 07', 'YYYY-MM-DD HH', '2024-03-05T07:00:00.000Z'),
    parse('2024-03-05 7 pm', 'YYYY-MM-DD h a', '2024-03-05T19:00:00.000Z'), parse('2024-03-05 12 AM', 'YYYY-MM-DD hh A', '2024-03-05T00:00:00.000Z'),
    parse('2024-03-05 12 PM', 'YYYY-MM-DD hh A', '2024-03-05T12:00:00.000Z'),
    parse('2024-03-05 24', 'YYYY-MM-DD k', '2024-03-05T00:00:00.000Z'), parse('2024-03-05 09', 'YYYY-MM-DD kk', '2024-03-05T09:00:00.000Z'),
    parse('2024-03-05 10:5:7', 'YYYY-MM-DD HH:m:s', '2024-03-05T10:05:07.000Z'), parse('2024-03-05 10:05:07', 'YYYY-MM-DD HH:mm:ss', '2024-03-05T10:05:07.000Z'),
    parse('2024-03-05 10:05:07.4', 'YYYY-MM-DD HH:mm:ss.S', '2024-03-05T10:05:07.400Z'),
    parse('2024-03-05 10:05:07.45', 'YYYY-MM-DD HH:mm:ss.SS', '2024-03-05T10:05:07.450Z'),
    parse('2024-03-05 10:05:07.456', 'YYYY-MM-DD HH:mm:ss.SSS', '2024-03-05T10:05:07.456Z'),
    parse('2024-03-05 10:05:07.4567', 'YYYY-MM-DD HH:mm:ss.SSSS', '2024-03-05T10:05:07.456Z'),
    parse('2024-03-05T10:05:07+12:00', 'YYYY-MM-DDTHH:mm:ssZ', '2024-03-04T22:05:07.000Z'),
    parse('2024-03-05T10:05:07-0530', 'YYYY-MM-DDTHH:mm:ssZZ', '2024-03-05T15:35:07.000Z'),
    parse('2024-03-05T10:05:07Z', 'YYYY-MM-DDTHH:mm:ssZ', '2024-03-05T10:05:07.000Z'),
    // An offset in the text wins over the zone; without one the text is read in the zone (here in summer time).
    parse('2024-07-05T10:05:07+01:00', 'YYYY-MM-DDTHH:mm:ssZ', '2024-07-05T09:05:07.000Z', 'America/New_York'),
    parse('2024-07-05 10:05', 'YYYY-MM-DD HH:mm', '2024-07-05T14:05:00.000Z', 'America/New_York'),
    parse('2024-13-05', 'YYYY-MM-DD', undefined), parse('2023-02-29', 'YYYY-MM-DD', undefined), parse('no date', 'YYYY-MM-DD', undefined),
  ]);

  const products = [
    { id: 'p1', email: 'a@example.com', label: 'work' },
    { id: 'p2', email: 'b@example.com', label: 'home' },
    { id: 'p3', email: 'c@example.com', label: 'other' },
  ];
  conform('general, text, array and math functions', [
    ['GEN if', "{{if(1 = 1, 'A', 'B')}}", 'A'],
    ['GEN if', "{{if(1 = 2, 'A', 'B')}}", 'B'],
    ['GEN ifempty', "{{ifempty('A', 'B')}}", 'A'],
    ['GEN ifempty', "{{ifempty(unknown, 'B')}}", 'B'],
    ['GEN ifempty', "{{ifempty('', 'B')}}", 'B'],
    ['GEN get', '{{get(list, 1 + 1)}}', 'b', { list: ['a', 'b', 'c'] }],
    ['GEN get', "{{get(object, 'raw_name.sub_raw_name')}}", 'x', { object: { raw_name: { sub_raw_name: 'x' } } }],
    ['TEXT lower', "{{lower('Hello')}}", 'hello'],
    ['TEXT upper', "{{upper('Hello')}}", 'HELLO'],
    ['TEXT trim', "{{trim('  Hello  ')}}", 'Hello'],
    ['TEXT length', "{{length('hello')}}", 5],
    ['TEXT split', "{{split('John, George, Paul', ',')}}", ['John', ' George', ' Paul']],
    ['TEXT substring', "{{substring('hello', 0, 3)}}", 'hel'],
    ['TEXT substring', "{{substring('hello', 1, 3)}}", 'el'],
    ['TEXT contains', "{{contains('Hello World', 'Hello')}}", true],
    ['TEXT contains', "{{contains('Hello World', 'Bye')}}", false],
    ['TEXT toString', '{{toString(42)}}', '42'],
    ['ARRAY map', "{{map(Emails, 'email')}}", ['a@example.com', 'b@example.com', 'c@example.com'], { Emails: products }],
    ['ARRAY map', "{{map(Emails, 'email', 'label', 'work,home')}}", ['a@example.com', 'b@example.com'], { Emails: products }],
    ['ARRAY join', "{{join(list, ', ')}}", 'a, b, c', { list: ['a', 'b', 'c'] }],
    ['ARRAY length', '{{length(list)}}', 3, { list: ['a', 'b', 'c'] }],
    ['ARRAY first', '{{first(list)}}', 'a', { list: ['a', 'b', 'c'] }],
    ['ARRAY last', '{{last(list)}}', 'c', { list: ['a', 'b', 'c'] }],
    ['ARRAY add', "{{add(list, 'd', 'e')}}", ['a', 'b', 'c', 'd', 'e'], { list: ['a', 'b', 'c'] }],
    ['ARRAY contains', "{{contains(list, 'b')}}", true, { list: ['a', 'b', 'c'] }],
    ['ARRAY toCollection', "{{toCollection(Emails, 'label', 'email')}}", { work: 'a@example.com', home: 'b@example.com', other: 'c@example.com' }, { Emails: products }],
    ['MATH parseNumber', "{{parseNumber('1 756,456', ',')}}", 1756.456],
    ['MATH parseNumber', "{{parseNumber('1,756.456', '.')}}", 1756.456],
    // A JSON number, as Plug&Paid sends amounts: number to text is plain (help.make.com/type-coercion), '.' its separator.
    ['MATH parseNumber', "{{parseNumber(amount, '.')}}", 129.9, { amount: 129.9 }],
  ]);
});
