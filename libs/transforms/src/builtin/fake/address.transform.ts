import type { KeyedRandom } from '../../keyed-random';
import { defineFake } from './fake.factory';
import { CITY_NAMES, CITY_PREFIXES, CITY_SUFFIXES, COUNTRIES, FIRST_NAMES, LAST_NAMES, STATE_ABBRS, STATES, STREET_NAMES, STREET_SUFFIXES } from './fake-data';

function street(r: KeyedRandom): string {
  const number = r.range(1, 9999);
  switch (r.int(3)) {
    case 0:
      return `${number} ${r.pick(FIRST_NAMES)} ${r.pick(STREET_SUFFIXES)}`;
    case 1:
      return `${number} ${r.pick(LAST_NAMES)} ${r.pick(STREET_SUFFIXES)}`;
    default:
      return `${number} ${r.pick(STREET_NAMES)}`;
  }
}

function city(r: KeyedRandom): string {
  switch (r.int(4)) {
    case 0:
      return `${r.pick(CITY_PREFIXES)} ${r.pick(FIRST_NAMES)}`;
    case 1:
      return `${r.pick(LAST_NAMES)}${r.pick(CITY_SUFFIXES)}`;
    default:
      return r.pick(CITY_NAMES);
  }
}

function zip(r: KeyedRandom): string {
  return r.digits(5);
}

/** Signed decimal with exactly 6 decimals from an integer number of millionths (no float rounding). */
function micro(n: number): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  return `${sign}${Math.floor(abs / 1e6)}.${String(abs % 1e6).padStart(6, '0')}`;
}

export const FakeStreetTransform = defineFake('FakeStreet', {
  format: '`<number> <street name>`, e.g. `4417 Rowe Avenue`',
  supportsUnique: true,
  generate: street,
});

export const FakeCityTransform = defineFake('FakeCity', {
  format: 'a city name, e.g. `North Las Vegas`',
  supportsUnique: true,
  generate: city,
});

export const FakeStateTransform = defineFake('FakeState', {
  format: 'a US state name, e.g. `Georgia`',
  generate: (r) => r.pick(STATES),
});

export const FakeStateAbbrTransform = defineFake('FakeStateAbbr', {
  format: 'a 2-letter US state code, e.g. `GA`',
  generate: (r) => r.pick(STATE_ABBRS),
});

export const FakeZipTransform = defineFake('FakeZip', {
  format: '`NNNNN` (5 digits)',
  generate: zip,
});

export const FakeStreetAddressTransform = defineFake('FakeStreetAddress', {
  format: '`<street>, <city>, <state abbr> <zip>`, e.g. `4417 Rowe Avenue, Lake Tia, GA 20740`',
  supportsUnique: true,
  generate: (r) => `${street(r)}, ${city(r)}, ${r.pick(STATE_ABBRS)} ${zip(r)}`,
});

export const FakeCountryTransform = defineFake('FakeCountry', {
  format: 'a country name, e.g. `Albania`',
  generate: (r) => r.pick(COUNTRIES),
});

export const FakeLatitudeTransform = defineFake('FakeLatitude', {
  format: 'decimal degrees in [-90, 90) with exactly 6 decimals, e.g. `-12.345678` (fits numeric(8,6), float, text)',
  generate: (r) => micro(r.int(180_000_000) - 90_000_000),
});

export const FakeLongitudeTransform = defineFake('FakeLongitude', {
  format: 'decimal degrees in [-180, 180) with exactly 6 decimals, e.g. `123.456789` (fits numeric(9,6), float, text)',
  generate: (r) => micro(r.int(360_000_000) - 180_000_000),
});
