import { TransformOptionError } from '../../transform.errors';
import { defineFake } from './fake.factory';
import { MONTHS, WEEKDAYS } from './fake-data';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const parsedDays = new Map<string, number>();

function dayNumber(s: string, option: string): number {
  const cached = parsedDays.get(s);
  if (cached !== undefined) return cached;
  const m = ISO_DATE.exec(s);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(t).toISOString().slice(0, 10) !== s) {
    throw new TransformOptionError(`option '${option}' must be a date YYYY-MM-DD, got '${s}'`);
  }
  parsedDays.set(s, t / DAY_MS);
  return t / DAY_MS;
}

/**
 * Fixed default ranges, not relative to today, so outputs never drift with the calendar year
 * (the original's FakeYear/FakeDateOfBirth changed every January).
 */
export const FakeDateOfBirthTransform = defineFake('FakeDateOfBirth', {
  format: '`YYYY-MM-DD`, uniform between `from` (default 1940-01-01) and `to` (default 2005-12-31)',
  options: {
    from: { type: 'string', default: '1940-01-01', description: 'YYYY-MM-DD' },
    to: { type: 'string', default: '2005-12-31', description: 'YYYY-MM-DD' },
  },
  validate: (o) => {
    if (dayNumber(o.from as string, 'from') > dayNumber(o.to as string, 'to')) {
      throw new TransformOptionError("option 'from' must not be after 'to'");
    }
  },
  generate: (r, o) => {
    const from = dayNumber(o.from as string, 'from');
    const to = dayNumber(o.to as string, 'to');
    return new Date((from + r.int(to - from + 1)) * DAY_MS).toISOString().slice(0, 10);
  },
});

export const FakeYearTransform = defineFake('FakeYear', {
  format: 'an integer year between `min` (default 1940) and `max` (default 2020), fits int2/int4/int8',
  options: {
    min: { type: 'integer', default: 1940, min: 1, max: 9999 },
    max: { type: 'integer', default: 2020, min: 1, max: 9999 },
  },
  validate: (o) => {
    if ((o.min as number) > (o.max as number)) throw new TransformOptionError("option 'min' must not be above 'max'");
  },
  generate: (r, o) => String(r.range(o.min as number, o.max as number)),
});

export const FakeMonthTransform = defineFake('FakeMonth', {
  format: 'an English month name, `January`…`December`',
  generate: (r) => r.pick(MONTHS),
});

export const FakeMonthNumTransform = defineFake('FakeMonthNum', {
  format: 'an integer 1–12, fits int2/int4/int8',
  generate: (r) => String(r.range(1, 12)),
});

export const FakeWeekDayTransform = defineFake('FakeWeekDay', {
  format: 'an English weekday name, `Monday`…`Sunday`',
  generate: (r) => r.pick(WEEKDAYS),
});
