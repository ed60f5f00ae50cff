import { defineFake } from './fake.factory';
import { FIRST_NAMES, LAST_NAMES, NAME_PREFIXES, SEXES } from './fake-data';

export const FakeNameTransform = defineFake('FakeName', {
  format: '`<first> <last>`, e.g. `Lucy Welch`',
  supportsUnique: true,
  generate: (r) => `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`,
});

export const FakeFirstNameTransform = defineFake('FakeFirstName', {
  format: 'a first name, e.g. `Lucy`',
  supportsUnique: true,
  generate: (r) => r.pick(FIRST_NAMES),
});

export const FakeLastNameTransform = defineFake('FakeLastName', {
  format: 'a last name, e.g. `Welch`',
  supportsUnique: true,
  generate: (r) => r.pick(LAST_NAMES),
});

export const FakeGenderTransform = defineFake('FakeGender', {
  format: '`female` or `male`',
  generate: (r) => r.pick(SEXES),
});

export const FakeTitleTransform = defineFake('FakeTitle', {
  format: 'a name prefix: `Dr.`, `Miss`, `Mr.`, `Mrs.` or `Ms.`',
  generate: (r) => r.pick(NAME_PREFIXES),
});

export const FakeSSNTransform = defineFake('FakeSSN', {
  format: '`NNN-NN-NNNN`, a valid-looking US SSN (area 001–899 except 666, group 01–99, serial 0001–9999)',
  generate: (r) => {
    let area = r.range(1, 898);
    if (area >= 666) area++;
    return `${pad(area, 3)}-${pad(r.range(1, 99), 2)}-${pad(r.range(1, 9999), 4)}`;
  },
});

export const FakePhoneTransform = defineFake('FakePhone', {
  format: '10 digits by default (`!##!######`: NANP area code and exchange start with 2–9); `format` sets another pattern, `#` = digit, `!` = digit 2–9',
  options: { format: { type: 'string', default: '!##!######', description: 'pattern: # digit, ! digit 2-9' } },
  generate: (r, o) => r.pattern(o.format as string),
});

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
