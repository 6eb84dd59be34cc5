/** What a text looks like, whatever its key: it decides the fake that keeps its shape. */
export type Shape = 'email' | 'url' | 'date' | 'time' | 'ip' | 'number' | 'phone' | 'code' | 'text';

const EMAIL = /^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}(:\d{1,5})?$/;
// At least two colons and only hex digits, dots and colons, optionally in brackets with a port: ::1, [2001:db8::7]:443.
const IPV6 = /^\[?(?=[0-9a-f.]*:[0-9a-f.]*:)[0-9a-f:.]+(\]:\d{1,5}|\])?$/i;
const NUMBER = /^[+-]?\d+([.,]\d+)?$/;
const PHONE = /^\+?[\d\s()./-]{7,}$/;

/** The time after a date (`T14:03:11.5+01:00`, ` 14:03`), or a time alone: hours, minutes, seconds, fraction, zone. */
export const TIME_PART = /^([T ]?)(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A calendar date with what follows it: year first (2026-11-20, 20261120) or day/month first (12/04/1985). */
export interface DateParts {
  order: 'ymd' | 'dmy' | 'mdy' | 'either';
  fields: [string, string, string];
  separator: string;
  rest: string;
}

const YEAR_FIRST = /^(\d{4})([-/.]?)(\d{2})\2(\d{2})(.*)$/s;
const YEAR_LAST = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(.*)$/s;

/** The parts of a real calendar date (the month at most 12, the day at most 31), or undefined. */
export function dateParts(text: string): DateParts | undefined {
  const validRest = (rest: string) => rest === '' || TIME_PART.test(rest) && /^[T ]/.test(rest);
  const first = YEAR_FIRST.exec(text);
  if (first && validRest(first[5]) && Number(first[3]) >= 1 && Number(first[3]) <= 12 && Number(first[4]) >= 1 && Number(first[4]) <= 31) {
    return { order: 'ymd', fields: [first[1], first[3], first[4]], separator: first[2], rest: first[5] };
  }
  const last = YEAR_LAST.exec(text);
  if (!last || !validRest(last[5])) return undefined;
  const [a, b] = [Number(last[1]), Number(last[3])];
  if (a < 1 || b < 1 || (a > 12 && b > 12) || a > 31 || b > 31) return undefined;
  const order = a > 12 ? 'dmy' : b > 12 ? 'mdy' : 'either';
  return { order, fields: [last[1], last[3], last[4]], separator: last[2], rest: last[5] };
}

/** The shape of a text (without its surrounding spaces). */
export function shapeOf(text: string): Shape {
  if (URL_LIKE.test(text)) return 'url';
  if (EMAIL.test(text)) return 'email';
  if (dateParts(text)) return 'date';
  if (TIME_PART.test(text) && !/^[T ]/.test(text)) return 'time';
  if (IPV4.test(text) || IPV6.test(text)) return 'ip';
  if (NUMBER.test(text)) return 'number';
  if (PHONE.test(text) && (text.match(/\d/g) ?? []).length >= 7) return 'phone';
  if (/^\S+$/.test(text) && /\d/.test(text)) return 'code';
  return 'text';
}

/** A date, a time or an epoch number: what a timestamp key may keep. */
export function isTimestamp(value: string | number): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0;
  const shape = shapeOf(value);
  return shape === 'date' || shape === 'time' || /^\d{9,13}$/.test(value);
}

/** A plain number, as text (`129.90`, `-3`, `19,5`): what an amount key may keep. */
export function isNumeric(text: string): boolean {
  return NUMBER.test(text);
}
