import dayjs from 'dayjs';
import advancedFormat from 'dayjs/plugin/advancedFormat';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { isValidDate } from '../values';
import { define } from './define';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);
dayjs.extend(advancedFormat);

function validOrUndefined(date: Date): Date | undefined {
  return isValidDate(date) ? date : undefined;
}

function knownZone(zone: unknown, fallback: string): string {
  if (typeof zone !== 'string' || zone === '') return fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return fallback;
  }
}

/** Make's parseDate: text in a moment-style format (ISO 8601 when none), `X` unix seconds, `x` milliseconds. */
export function parseDateValue(value: unknown, format?: unknown, zone = 'UTC'): Date | undefined {
  if (value instanceof Date) return validOrUndefined(value);
  if (format === 'X' || format === 'x') {
    const count = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(count) ? validOrUndefined(new Date(format === 'X' ? count * 1000 : count)) : undefined;
  }
  if (typeof value === 'number') return validOrUndefined(new Date(value));
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (typeof format !== 'string' || format === '') {
    // Without a format only ISO 8601 is accepted; a date without an offset is read in the zone.
    if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value.trim())) return undefined;
    const text = value.trim();
    const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
    return validOrUndefined(hasOffset ? new Date(text) : dayjs.tz(text, zone).toDate());
  }
  const parsed = dayjs.tz(value, format, zone);
  return parsed.isValid() && dayjs(value, format, true).isValid() ? validOrUndefined(parsed.toDate()) : undefined;
}

/** Make's formatDate: a date (or ISO text, or epoch milliseconds) in a moment-style format and zone. */
export function formatDateValue(value: unknown, format: unknown, zone = 'UTC'): string | undefined {
  const date = typeof value === 'string' ? parseDateValue(value, undefined, zone) : parseDateValue(value);
  if (!date || typeof format !== 'string') return undefined;
  return dayjs(date).tz(zone).format(format);
}

/** Date functions. */
export const dateFunctions = {
  parseDate: define(1, 3, ([value, format, zone], context) => parseDateValue(value, format, knownZone(zone, context.timezone))),
  formatDate: define(2, 3, ([value, format, zone], context) => formatDateValue(value, format, knownZone(zone, context.timezone))),
};
