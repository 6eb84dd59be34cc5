import dayjs from 'dayjs';
import { splitFormat } from './date-tokens';

/** What the tokens of a format read from the text; absent parts get moment's defaults. */
interface Parts {
  year?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
  pm?: boolean;
  offsetMinutes?: number;
  isoWeekYear?: number;
  isoWeek?: number;
  isoWeekday?: number;
  weekday?: number;
  instant?: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const twoDigitYear = (text: string): number => Number(text) + (Number(text) > 68 ? 1900 : 2000);
const byName = (names: string[], text: string): number | undefined => {
  const lower = text.toLowerCase();
  const index = names.findIndex((name) => name === lower || name.slice(0, 3) === lower.slice(0, 3));
  return index === -1 ? undefined : index;
};

/**
 * Make's parsing tokens (help.make.com/tokens-for-datetime-parsing, moment's table) as a regular
 * expression and what the match sets. dayjs's customParseFormat has no DDD/DDDD, ddd/dddd, W/WW, GG/GGGG,
 * E, k/kk, fractions past SSS, or X/x inside a longer format, so parsing reads moment's table itself.
 */
const PARSE_TOKENS: Record<string, [RegExp, (text: string, parts: Parts) => void]> = {
  YYYY: [/[+-]?\d{1,4}/, (t, p) => (p.year = t.length <= 2 ? twoDigitYear(t) : Number(t))],
  YY: [/\d\d?/, (t, p) => (p.year = twoDigitYear(t))],
  Y: [/[+-]?\d+/, (t, p) => (p.year = Number(t))],
  Q: [/[1-4]/, (t, p) => (p.month = (Number(t) - 1) * 3)],
  M: [/\d\d?/, (t, p) => (p.month = Number(t) - 1)],
  MM: [/\d\d?/, (t, p) => (p.month = Number(t) - 1)],
  MMM: [/[A-Za-z]+\.?/, (t, p) => (p.month = byName(MONTHS, t) ?? NaN)],
  MMMM: [/[A-Za-z]+/, (t, p) => (p.month = byName(MONTHS, t) ?? NaN)],
  D: [/\d\d?/, (t, p) => (p.day = Number(t))],
  DD: [/\d\d?/, (t, p) => (p.day = Number(t))],
  Do: [/\d\d?(?:st|nd|rd|th)?/i, (t, p) => (p.day = parseInt(t, 10))],
  DDD: [/\d{1,3}/, (t, p) => (p.dayOfYear = Number(t))],
  DDDD: [/\d{3}/, (t, p) => (p.dayOfYear = Number(t))],
  X: [/[+-]?\d+(?:\.\d{1,3})?/, (t, p) => (p.instant = Math.round(Number(t) * 1000))],
  x: [/[+-]?\d+/, (t, p) => (p.instant = Number(t))],
  ddd: [/[A-Za-z]+/, (t, p) => (p.weekday = byName(WEEKDAYS, t) ?? NaN)],
  dddd: [/[A-Za-z]+/, (t, p) => (p.weekday = byName(WEEKDAYS, t) ?? NaN)],
  GGGG: [/\d{1,4}/, (t, p) => (p.isoWeekYear = Number(t))],
  GG: [/\d\d?/, (t, p) => (p.isoWeekYear = twoDigitYear(t))],
  W: [/\d\d?/, (t, p) => (p.isoWeek = Number(t))],
  WW: [/\d\d?/, (t, p) => (p.isoWeek = Number(t))],
  E: [/[1-7]/, (t, p) => (p.isoWeekday = Number(t))],
  H: [/\d\d?/, (t, p) => (p.hour = Number(t))],
  HH: [/\d\d?/, (t, p) => (p.hour = Number(t))],
  h: [/\d\d?/, (t, p) => (p.hour = Number(t))],
  hh: [/\d\d?/, (t, p) => (p.hour = Number(t))],
  k: [/\d\d?/, (t, p) => (p.hour = Number(t) % 24)],
  kk: [/\d\d?/, (t, p) => (p.hour = Number(t) % 24)],
  a: [/[ap]\.?m?\.?/i, (t, p) => (p.pm = t[0].toLowerCase() === 'p')],
  A: [/[ap]\.?m?\.?/i, (t, p) => (p.pm = t[0].toLowerCase() === 'p')],
  m: [/\d\d?/, (t, p) => (p.minute = Number(t))],
  mm: [/\d\d?/, (t, p) => (p.minute = Number(t))],
  s: [/\d\d?/, (t, p) => (p.second = Number(t))],
  ss: [/\d\d?/, (t, p) => (p.second = Number(t))],
  Z: [/Z|[+-]\d\d(?::?\d\d)?/i, (t, p) => (p.offsetMinutes = offsetOf(t))],
  ZZ: [/Z|[+-]\d\d(?::?\d\d)?/i, (t, p) => (p.offsetMinutes = offsetOf(t))],
};
const FRACTION: [RegExp, (text: string, parts: Parts) => void] = [/\d+/, (t, p) => (p.millisecond = Math.floor(Number(`0.${t}`) * 1000))];

function offsetOf(text: string): number {
  if (text.toUpperCase() === 'Z') return 0;
  const [, sign, hours, minutes] = /([+-])(\d\d):?(\d\d)?/.exec(text)!;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0));
}

/**
 * Reads the parts as moment does without strict mode: each token's pattern is searched for in what is left
 * of the text (skipping what comes before it), literal text is skipped where found, and a token that finds
 * nothing is left unset. Nothing read at all means no date.
 */
function readParts(text: string, format: string): Parts | undefined {
  const parts: Parts = {};
  let rest = text;
  let read = 0;
  for (const part of splitFormat(format)) {
    const token = 'token' in part ? part.token : undefined;
    const rule = token === undefined ? undefined : (PARSE_TOKENS[token] ?? (/^S{1,9}$/.test(token) ? FRACTION : undefined));
    if (!rule) {
      const fixed = 'literal' in part ? part.literal : part.token;
      const at = rest.indexOf(fixed);
      if (at !== -1) rest = rest.slice(at + fixed.length);
      continue;
    }
    const match = rule[0].exec(rest);
    if (!match) continue;
    rule[1](match[0], parts);
    rest = rest.slice(match.index + match[0].length);
    read += 1;
  }
  return read > 0 ? parts : undefined;
}

// moment's rule: parts before the first given one default to now (in the zone), parts after it to their start.
// \`today\` is worked out only when a part is missing: dayjs's zone conversion goes through Intl and cost a sixth of
// the runtime's CPU when it ran for every date of every bundle.
function calendarDate(parts: Parts, zone: string): { year: number; month: number; day: number } | undefined {
  let zoned: dayjs.Dayjs | undefined;
  const today = () => (zoned ??= dayjs().tz(zone));
  if (parts.isoWeek !== undefined || parts.isoWeekYear !== undefined) {
    const weekYear = parts.isoWeekYear ?? parts.year ?? today().isoWeekYear();
    const date = dayjs.utc(`${String(weekYear).padStart(4, '0')}-01-04`).isoWeek(parts.isoWeek ?? 1).isoWeekday(parts.isoWeekday ?? 1);
    return { year: date.year(), month: date.month(), day: date.date() };
  }
  if (parts.dayOfYear !== undefined) {
    const year = parts.year ?? today().year();
    const date = dayjs.utc(`${String(year).padStart(4, '0')}-01-01`).add(parts.dayOfYear - 1, 'day');
    return date.year() === year ? { year, month: date.month(), day: date.date() } : undefined;
  }
  const given = [parts.year, parts.month, parts.day];
  const first = given.findIndex((value) => value !== undefined);
  const now = (index: number) => [today().year(), today().month(), today().date()][index];
  const [year, month, day] = given.map((value, index) => value ?? (first === -1 || index < first ? now(index) : index === 2 ? 1 : 0));
  return { year, month, day };
}

/** Parses text with Make's (moment's) parsing tokens; a date without an offset is read in `zone`. */
export function parseInZone(text: string, format: string, zone: string): Date | undefined {
  const parts = readParts(text, format);
  if (!parts) return undefined;
  if (parts.instant !== undefined) return Number.isFinite(parts.instant) ? new Date(parts.instant) : undefined;
  const date = calendarDate(parts, zone);
  if (!date) return undefined;
  let hour = parts.hour ?? 0;
  if (parts.pm !== undefined && hour <= 12) hour = parts.pm ? (hour % 12) + 12 : hour % 12;
  const [minute, second, millisecond] = [parts.minute ?? 0, parts.second ?? 0, parts.millisecond ?? 0];
  const daysInMonth = new Date(Date.UTC(date.year, date.month + 1, 0)).getUTCDate();
  const inRange =
    date.month >= 0 && date.month <= 11 && date.day >= 1 && date.day <= daysInMonth && hour <= 24 && minute <= 59 && second <= 59 && (hour < 24 || minute + second + millisecond === 0);
  if (!inRange) return undefined;
  const local = Date.UTC(date.year, date.month, date.day, hour, minute, second, millisecond);
  if (!Number.isFinite(local)) return undefined;
  const instant = parts.offsetMinutes !== undefined ? new Date(local - parts.offsetMinutes * 60_000) : zonedInstant(local, zone);
  if (parts.weekday !== undefined && (Number.isNaN(parts.weekday) || dayjs(instant).tz(zone).day() !== parts.weekday)) return undefined;
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

// The instant whose wall-clock time in `zone` is `local` (given as if it were UTC).
function zonedInstant(local: number, zone: string): Date {
  // UTC (the runtime's zone) needs no conversion, and dayjs's goes through Intl, which is slow.
  if (zone === 'UTC') return new Date(local);
  const wall = new Date(local);
  const text = `${String(wall.getUTCFullYear()).padStart(4, '0')}-${String(wall.getUTCMonth() + 1).padStart(2, '0')}-${String(wall.getUTCDate()).padStart(2, '0')}T${wall.toISOString().slice(11, 23)}`;
  return dayjs.tz(text, zone).toDate();
}
