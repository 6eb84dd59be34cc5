import dayjs, { Dayjs } from 'dayjs';
import advancedFormat from 'dayjs/plugin/advancedFormat';
import dayOfYear from 'dayjs/plugin/dayOfYear';
import isoWeek from 'dayjs/plugin/isoWeek';
import quarterOfYear from 'dayjs/plugin/quarterOfYear';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import weekOfYear from 'dayjs/plugin/weekOfYear';
import weekYear from 'dayjs/plugin/weekYear';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(advancedFormat);
dayjs.extend(weekOfYear);
dayjs.extend(weekYear);
dayjs.extend(isoWeek);
dayjs.extend(dayOfYear);
dayjs.extend(quarterOfYear);

/**
 * Make's date tokens are moment.js tokens (help.make.com/tokens-for-datetime-formatting and
 * help.make.com/tokens-for-datetime-parsing). This splits a format the way moment does: `[…]` is literal
 * text, then the longest token at each position, then any other single character as itself.
 */
const TOKENS = /(\[[^[]*\])|(Mo|MM?M?M?|Qo?|Do|DDDo|DD?D?D?|ddd?d?|do?|e|E|w[ow]?|W[oW]?|YYYYYY|YYYYY|YYYY|YY|Y|gg(?:gg)?|GG(?:GG)?|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|.)/g;

type FormatPart = { token: string } | { literal: string };

// Formats come from app definitions (a handful), but each bundle's dates use them: split each once.
const splitFormats = new Map<string, FormatPart[]>();
const SPLIT_CACHE_LIMIT = 1000;

/** The format split into tokens and literal text (`{ literal }`). */
export function splitFormat(format: string): FormatPart[] {
  let parts = splitFormats.get(format);
  if (!parts) {
    parts = [...format.matchAll(TOKENS)].map(([text, bracketed]) => (bracketed ? { literal: bracketed.slice(1, -1) } : { token: text }));
    if (splitFormats.size >= SPLIT_CACHE_LIMIT) splitFormats.clear();
    splitFormats.set(format, parts);
  }
  return parts;
}

const pad = (value: number, width: number): string => `${value < 0 ? '-' : ''}${String(Math.abs(value)).padStart(width, '0')}`;

/** English ordinals as moment's default locale writes them (1st, 2nd, 3rd, 4th, 11th, 22nd). */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

// Tokens dayjs (core + advancedFormat, weekOfYear, isoWeek) formats as moment does, in the date's zone.
const DAYJS_FORMATS = new Set(['M', 'MM', 'MMM', 'MMMM', 'Q', 'D', 'DD', 'Do', 'd', 'dd', 'ddd', 'dddd', 'w', 'ww', 'wo', 'W', 'WW', 'YY', 'YYYY', 'gggg', 'H', 'HH', 'h', 'hh', 'k', 'kk', 'm', 'mm', 's', 'ss', 'SSS', 'A', 'a', 'Z', 'ZZ']);

/**
 * Tokens dayjs lacks or gets wrong, computed from dayjs's getters: ordinals other than Do and wo, day of
 * year, ISO weekday, the `Y` and two-digit week years, `GGGG` (advancedFormat has the case but never matches
 * it), fractions other than SSS, and `X`/`x` (advancedFormat reads the zone-shifted instant).
 */
const OWN_FORMATS: Record<string, (date: Dayjs, instant: Date) => string> = {
  Mo: (d) => ordinal(d.month() + 1),
  Qo: (d) => ordinal(d.quarter()),
  DDD: (d) => String(d.dayOfYear()),
  DDDo: (d) => ordinal(d.dayOfYear()),
  DDDD: (d) => pad(d.dayOfYear(), 3),
  do: (d) => ordinal(d.day()),
  e: (d) => String(d.day()),
  E: (d) => String(d.isoWeekday()),
  Wo: (d) => ordinal(d.isoWeek()),
  Y: (d) => (d.year() > 9999 ? `+${d.year()}` : String(d.year())),
  YYYYY: (d) => pad(d.year(), 5),
  YYYYYY: (d) => `${d.year() < 0 ? '-' : '+'}${String(Math.abs(d.year())).padStart(6, '0')}`,
  gg: (d) => pad(d.weekYear() % 100, 2),
  GG: (d) => pad(d.isoWeekYear() % 100, 2),
  GGGG: (d) => pad(d.isoWeekYear(), 4),
  z: (d) => d.offsetName() ?? '',
  zz: (d) => d.offsetName() ?? '',
  X: (_, instant) => String(Math.floor(instant.getTime() / 1000)),
  x: (_, instant) => String(instant.getTime()),
};

/** Formats an instant in a zone with Make's (moment's) formatting tokens. */
export function formatInZone(instant: Date, format: string, zone: string): string {
  const date = dayjs(instant).tz(zone);
  return splitFormat(format)
    .map((part) => {
      if ('literal' in part) return part.literal;
      const { token } = part;
      if (DAYJS_FORMATS.has(token)) return date.format(token);
      if (OWN_FORMATS[token]) return OWN_FORMATS[token](date, instant);
      if (/^S{1,9}$/.test(token)) return String(date.millisecond()).padStart(3, '0').padEnd(token.length, '0').slice(0, token.length);
      return token;
    })
    .join('');
}
