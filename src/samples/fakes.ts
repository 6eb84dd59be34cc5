import { createHash } from 'node:crypto';
import { en, Faker } from '@faker-js/faker';
import type { PersonalKind } from './key-words';
import { dateParts, shapeOf, TIME_PART } from './shapes';

const faker = new Faker({ locale: [en] });

/** Fakes seeded from what they replace (the same input always gives the same fake), never containing a learnt value. */
export class Fakes {
  /** `avoid(text)`: whether a fake would still carry personal data (then another one is drawn). */
  constructor(private readonly avoid: (text: string) => boolean) {}

  /** A fake made by `make` with faker seeded from `seed`; redrawn (a few times) while it carries a learnt value. */
  draw(seed: string, make: (f: Faker) => string): string {
    let fake = '';
    for (let attempt = 0; attempt < 8; attempt++) {
      faker.seed(createHash('sha256').update(`${seed}\u0000${attempt}`).digest().readUInt32BE(0));
      fake = make(faker);
      if (!this.avoid(fake)) return fake;
    }
    return fake;
  }

  /** A fake of a text with the same shape: an email, URL-free code, date, time, IP, number, phone or words. */
  byShape(text: string): string {
    return keepSpaces(text, (core) => {
      switch (shapeOf(core)) {
        case 'email':
          return this.email(core);
        case 'date':
          return this.date(core, false);
        case 'time':
          return this.draw(`time\u0000${core}`, (f) => fakeTime(f, core));
        case 'ip':
          return this.ip(core);
        case 'number':
        case 'phone':
        case 'code':
          return this.code(core);
        default:
          return this.words(core);
      }
    });
  }

  /** A fake of a personal value of `kind` (an email, IP or date keeps that shape whatever the key says). */
  personal(kind: PersonalKind, text: string): string {
    return keepSpaces(text, (core) => {
      const shape = shapeOf(core);
      if (shape === 'email') return this.email(core);
      if (shape === 'ip') return this.ip(core);
      if (shape === 'date') return this.date(core, kind === 'birth');
      const person = (make: (f: Faker) => string) => this.draw(`${kind}\u0000${core}`, make);
      switch (kind) {
        case 'firstName':
          return person((f) => f.person.firstName());
        case 'lastName':
          return person((f) => f.person.lastName());
        case 'fullName':
          return person((f) => `${f.person.firstName()} ${f.person.lastName()}`);
        case 'username':
          return person((f) => f.internet.username().toLowerCase());
        case 'company':
          return person((f) => f.company.name());
        case 'street':
          return person((f) => f.location.streetAddress());
        case 'city':
          return person((f) => f.location.city());
        case 'state':
          return person((f) => f.location.state());
        case 'email':
        case 'ip':
          return this.byShape(core);
        default:
          // Phones, zips, house numbers, IBANs, tax ids, person ids: the same letters-and-digits pattern.
          return this.code(core);
      }
    });
  }

  /** A fake name part, letters only (it may land in a host name or a key): the first part a first name. */
  namePart(part: string, first: boolean): string {
    return this.draw(`part\u0000${part.toLowerCase()}`, (f) => (first ? f.person.firstName() : f.person.lastName()).replace(/[^A-Za-z]/g, '') || 'Sam');
  }

  /** A number with as many digits before and after the point, and the same sign. */
  number(value: number): number {
    if (!Number.isFinite(value)) return value;
    const [mantissa, exponent] = String(Math.abs(value)).split('e');
    const digits = this.draw(`number\u0000${mantissa}`, (f) => fakeDigits(f, mantissa));
    const fake = Number(exponent === undefined ? digits : `${digits}e${exponent}`);
    return value < 0 ? -fake : fake;
  }

  private email(text: string): string {
    return this.draw(`email\u0000${text.toLowerCase()}`, (f) => f.internet.email({ provider: 'example.com' }).toLowerCase());
  }

  private ip(text: string): string {
    const port = /(?:^[\d.]+|\]):(\d{1,5})$/.exec(text)?.[1];
    return this.draw(`ip\u0000${text}`, (f) => {
      const address = text.includes('.') && !text.includes('::') ? f.internet.ipv4() : f.internet.ipv6();
      if (port === undefined) return address;
      return address.includes(':') ? `[${address}]:${f.internet.port()}` : `${address}:${f.internet.port()}`;
    });
  }

  /** A real calendar date in the same layout: a birthday in 1945-2006 (the same every year), other dates within two years of the original. */
  private date(text: string, birth: boolean): string {
    const parts = dateParts(text)!;
    return this.draw(`date\u0000${birth}\u0000${text}`, (f) => {
      const year = parts.order === 'ymd' ? Number(parts.fields[0]) : Number(parts.fields[2]);
      const fakeYear = birth ? f.number.int({ min: 1945, max: 2006 }) : year + f.number.int({ min: -2, max: 2 });
      const month = f.number.int({ min: 1, max: 12 });
      // A day both orders read as a date when day and month could be swapped.
      const day = f.number.int({ min: 1, max: parts.order === 'either' ? 12 : 28 });
      const pad = (n: number, like: string) => String(n).padStart(like.length, '0');
      const rest = parts.rest === '' ? '' : fakeTime(f, parts.rest);
      const [a, b, c] = parts.fields;
      const s = parts.separator;
      if (parts.order === 'ymd') return `${pad(fakeYear, a)}${s}${pad(month, b)}${s}${pad(day, c)}${rest}`;
      if (parts.order === 'mdy') return `${pad(month, a)}${s}${pad(day, b)}${s}${pad(fakeYear, c)}${rest}`;
      return `${pad(day, a)}${s}${pad(month, b)}${s}${pad(fakeYear, c)}${rest}`;
    });
  }

  /** Letters stay letters (case kept), digits stay digits, the rest stays; a lower-case type prefix (`ord_`) is kept. */
  private code(text: string): string {
    const prefix = /^[a-z]{2,8}_(?=.)/.exec(text)?.[0] ?? '';
    return this.draw(`code\u0000${text}`, (f) => {
      const body = text.slice(prefix.length).replace(/[A-Za-z]/g, (ch) => f.string.alpha({ casing: ch === ch.toUpperCase() ? 'upper' : 'lower' }));
      return prefix + fakeDigits(f, body);
    });
  }

  private words(text: string): string {
    const count = Math.min(30, text.split(/\s+/).length);
    return this.draw(`text\u0000${text}`, (f) => {
      const words = f.lorem.words(count);
      return /^\p{Lu}/u.test(text) ? words[0].toUpperCase() + words.slice(1) : words;
    });
  }
}

/** Surrounding spaces are kept: they show what a mapping's trim() does. */
function keepSpaces(text: string, fake: (core: string) => string): string {
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  return core === '' ? text : `${lead}${fake(core)}${trail}`;
}

// Every digit replaced; a number that did not start with 0 still does not, and a decimal does not end in 0.
function fakeDigits(f: Faker, text: string): string {
  let leading = true;
  const fake = text.replace(/\d/g, (digit) => {
    const nonZero = leading && digit !== '0';
    leading = false;
    return String(f.number.int({ min: nonZero ? 1 : 0, max: 9 }));
  });
  return /\.\d*0$/.test(fake) && !/\.\d*0$/.test(text) ? `${fake.slice(0, -1)}${f.number.int({ min: 1, max: 9 })}` : fake;
}

// A valid time of day in the same layout (separator, seconds, fraction digits); the zone kept.
function fakeTime(f: Faker, text: string): string {
  const [, lead, , , seconds, fraction, zone] = TIME_PART.exec(text)!;
  const two = (max: number) => String(f.number.int({ min: 0, max })).padStart(2, '0');
  return `${lead}${two(23)}:${two(59)}${seconds === undefined ? '' : `:${two(59)}`}${fraction === undefined ? '' : `.${f.string.numeric(fraction.length - 1)}`}${zone ?? ''}`;
}
