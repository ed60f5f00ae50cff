import { faker } from '@faker-js/faker/locale/en';
import type { KeyedRandom } from '../../keyed-random';

/**
 * Word lists: faker's `en` locale definitions (pinned @faker-js/faker 9.9.0, so outputs do not
 * change under us; upgrading faker changes fakes, which the golden-vector spec reports), indexed
 * directly by keyed draws. Faker's own seeded generator costs ~25 µs per value; this costs ~0.1 µs.
 * Taken from the `en` entry point, whose definitions equal the package's `en` export: loading the
 * whole package costs ~100 ms per process and per snapshot transform thread, this one ~18 ms.
 */
const en = faker.rawDefinitions;
export const FIRST_NAMES = en.person!.first_name!.generic!;
export const LAST_NAMES = en.person!.last_name!.generic!;
export const NAME_PREFIXES = en.person!.prefix!.generic!;
export const SEXES = ['female', 'male'] as const;
export const JOB_DESCRIPTORS = en.person!.job_descriptor!;
export const JOB_AREAS = en.person!.job_area!;
export const JOB_TYPES = en.person!.job_type!;
export const COMPANY_ADJECTIVES = en.company!.adjective!;
export const COMPANY_DESCRIPTORS = en.company!.descriptor!;
export const COMPANY_NOUNS = en.company!.noun!;
export const LEGAL_ENTITY_TYPES = en.company!.legal_entity_type! as unknown as readonly string[];
export const BUZZ_VERBS = en.company!.buzz_verb!;
export const BUZZ_NOUNS = en.company!.buzz_noun!;
export const PRODUCT_ADJECTIVES = en.commerce!.product_name!.adjective!;
export const PRODUCT_MATERIALS = en.commerce!.product_name!.material!;
export const PRODUCTS = en.commerce!.product_name!.product!;
export const PRODUCT_DESCRIPTIONS = en.commerce!.product_description!;
export const DEPARTMENTS = en.commerce!.department!;
export const CITY_NAMES = en.location!.city_name!;
export const CITY_PREFIXES = en.location!.city_prefix!;
export const CITY_SUFFIXES = en.location!.city_suffix!;
export const STREET_NAMES = en.location!.street_name!;
export const STREET_SUFFIXES = en.location!.street_suffix!;
export const STATES = en.location!.state!;
export const STATE_ABBRS = en.location!.state_abbr!;
export const COUNTRIES = en.location!.country!;
export const DOMAIN_SUFFIXES = en.internet!.domain_suffix!;
export const EXAMPLE_DOMAINS = en.internet!.example_email!;
export const LOREM_WORDS = en.lorem!.word!;
export const ADJECTIVES = en.word!.adjective!;
export const NOUNS = en.word!.noun!;
export const CURRENCY_CODES = en.finance!.currency!.map((c) => c.code);
export const ANIMAL_TYPES = en.animal!.type!;
export const COLORS = en.color!.human!;
export const FOOD_ADJECTIVES = en.food!.adjective!;
export const CHEMICAL_ELEMENTS = en.science!.chemical_element!.map((e) => e.name);

/** Calendar order (faker's lists are alphabetical). */
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const INDUSTRIES = [
  'Aerospace',
  'Agriculture',
  'Automotive',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Construction',
  'Consulting',
  'Consumer Goods',
  'Defense',
  'Education',
  'Energy',
  'Entertainment',
  'Fashion',
  'Financial Services',
  'Food and Beverage',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Logistics',
  'Manufacturing',
  'Media',
  'Mining',
  'Pharmaceuticals',
  'Real Estate',
  'Retail',
  'Software',
  'Telecommunications',
  'Transportation',
  'Utilities',
];

/** Card types with their number prefixes and lengths (digits only, last digit is the Luhn check). */
export const CARD_TYPES: readonly { name: string; prefixes: readonly string[]; length: number }[] = [
  { name: 'Visa', prefixes: ['4'], length: 16 },
  { name: 'Mastercard', prefixes: ['51', '52', '53', '54', '55', '2221', '2720'], length: 16 },
  { name: 'American Express', prefixes: ['34', '37'], length: 15 },
  { name: 'Discover', prefixes: ['6011', '65'], length: 16 },
  { name: 'JCB', prefixes: ['3528', '3589'], length: 16 },
  { name: 'Diners Club', prefixes: ['36', '38'], length: 14 },
];

/** A lower-case ASCII slug of a name (`O'Connell` → `oconnell`). */
function asciiLower(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The lists above as slugs, index for index (`pick` of a slug list draws the slug of what `pick` of
 * the list would), computed once instead of per value.
 */
export const FIRST_NAME_SLUGS = FIRST_NAMES.map(asciiLower);
export const LAST_NAME_SLUGS = LAST_NAMES.map(asciiLower);
export const ADJECTIVE_SLUGS = ADJECTIVES.map(asciiLower);
export const NOUN_SLUGS = NOUNS.map(asciiLower);

export function companyName(r: KeyedRandom): string {
  switch (r.int(3)) {
    case 0:
      return `${r.pick(LAST_NAMES)} - ${r.pick(LAST_NAMES)}`;
    case 1:
      return `${r.pick(LAST_NAMES)} ${r.pick(LEGAL_ENTITY_TYPES)}`;
    default:
      return `${r.pick(LAST_NAMES)}, ${r.pick(LAST_NAMES)} and ${r.pick(LAST_NAMES)}`;
  }
}

export function productName(r: KeyedRandom): string {
  return `${r.pick(PRODUCT_ADJECTIVES)} ${r.pick(PRODUCT_MATERIALS)} ${r.pick(PRODUCTS)}`;
}

const DESCRIPTION_PARTS: Record<string, (r: KeyedRandom, args: string) => string> = {
  'animal.type': (r) => r.pick(ANIMAL_TYPES),
  'commerce.product': (r) => r.pick(PRODUCTS),
  'commerce.productMaterial': (r) => r.pick(PRODUCT_MATERIALS),
  'commerce.productAdjective': (r) => r.pick(PRODUCT_ADJECTIVES),
  'word.adjective': (r) => r.pick(ADJECTIVES),
  'color.human': (r) => r.pick(COLORS),
  'science.chemical_element.name': (r) => r.pick(CHEMICAL_ELEMENTS),
  'location.country': (r) => r.pick(COUNTRIES),
  'food.adjective': (r) => r.pick(FOOD_ADJECTIVES),
  'company.catchPhrase': (r) => `${r.pick(COMPANY_ADJECTIVES)} ${r.pick(COMPANY_DESCRIPTORS)} ${r.pick(COMPANY_NOUNS)}`,
  'person.firstName': (r) => r.pick(FIRST_NAMES),
  'company.name': (r) => companyName(r),
  'number.int': (r, args) => {
    const { min, max } = JSON.parse(args) as { min: number; max: number };
    return String(r.range(min, max));
  },
};

/** Expands one of faker's product description patterns with keyed draws. */
export function productDescription(r: KeyedRandom): string {
  return r.pick(PRODUCT_DESCRIPTIONS).replace(/\{\{([\w.]+)(?:\((.*?)\))?\}\}/g, (_, path: string, args: string) => {
    const part = DESCRIPTION_PARTS[path];
    if (!part) throw new Error(`product description placeholder ${path} is not supported`);
    return part(r, args ?? '{}');
  });
}

export function sentence(r: KeyedRandom, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) s += (i ? ' ' : '') + r.pick(LOREM_WORDS);
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

/** Luhn check digit for a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
