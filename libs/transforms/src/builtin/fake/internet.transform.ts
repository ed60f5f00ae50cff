import { defineFake } from './fake.factory';
import { ADJECTIVE_SLUGS, DOMAIN_SUFFIXES, EXAMPLE_DOMAINS, FIRST_NAME_SLUGS, LAST_NAME_SLUGS, NOUN_SLUGS } from './fake-data';

export const FakeEmailTransform = defineFake('FakeEmail', {
  format: '`<first>.<last><NN>@<domain>`, lower case; the domain is example.com/.net/.org (reserved, never a real mailbox) unless `domain` is set',
  options: { domain: { type: 'string', description: 'fixed domain, e.g. example.test' } },
  supportsUnique: true,
  generate: (r, o) => {
    const local = `${r.pick(FIRST_NAME_SLUGS)}.${r.pick(LAST_NAME_SLUGS)}${r.digits(2)}`;
    return `${local}@${(o.domain as string | undefined) ?? r.pick(EXAMPLE_DOMAINS)}`;
  },
});

export const FakeUsernameTransform = defineFake('FakeUsername', {
  format: '`<first>_<last><NN>`, lower case, e.g. `lucy_welch42`',
  supportsUnique: true,
  generate: (r) => `${r.pick(FIRST_NAME_SLUGS)}_${r.pick(LAST_NAME_SLUGS)}${r.digits(2)}`,
});

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const SPECIAL = '!@#$%&*?-_+=';

export const FakePasswordTransform = defineFake('FakePassword', {
  format: '`length` (default 12) characters with at least one lower-case letter, upper-case letter, digit and symbol',
  options: { length: { type: 'integer', default: 12, min: 4, max: 128 } },
  supportsUnique: true,
  generate: (r, o) => {
    const length = o.length as number;
    const chars = [LOWER, UPPER, DIGITS, SPECIAL].map((set) => set[r.int(set.length)]);
    const all = LOWER + UPPER + DIGITS + SPECIAL;
    while (chars.length < length) chars.push(all[r.int(all.length)]);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    return chars.join('');
  },
});

export const FakeDomainNameTransform = defineFake('FakeDomainName', {
  format: '`<adjective><noun>.<suffix>`, lower case, e.g. `quietharbor.net`',
  supportsUnique: true,
  generate: (r) => `${r.pick(ADJECTIVE_SLUGS)}${r.pick(NOUN_SLUGS)}.${r.pick(DOMAIN_SUFFIXES)}`,
});
