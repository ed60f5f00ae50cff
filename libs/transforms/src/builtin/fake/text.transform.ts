import { defineFake } from './fake.factory';
import { LOREM_WORDS, sentence } from './fake-data';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const FakeWordTransform = defineFake('FakeWord', {
  format: 'one lorem ipsum word, e.g. `voluptas`',
  supportsUnique: true,
  generate: (r) => r.pick(LOREM_WORDS),
});

export const FakeWordsTransform = defineFake('FakeWords', {
  format: '`count` (default 3) lorem words separated by spaces',
  options: { count: { type: 'integer', default: 3, min: 1, max: 100 } },
  supportsUnique: true,
  generate: (r, o) => {
    const words: string[] = [];
    for (let i = 0; i < (o.count as number); i++) words.push(r.pick(LOREM_WORDS));
    return words.join(' ');
  },
});

export const FakeSentenceTransform = defineFake('FakeSentence', {
  format: '`words` (default 8) lorem words, capitalised, ending with `.`',
  options: { words: { type: 'integer', default: 8, min: 1, max: 100 } },
  supportsUnique: true,
  generate: (r, o) => sentence(r, o.words as number),
});

export const FakeParagraphTransform = defineFake('FakeParagraph', {
  format: '`sentences` (default 3) sentences of 5–10 words, separated by a space',
  options: { sentences: { type: 'integer', default: 3, min: 1, max: 50 } },
  supportsUnique: true,
  generate: (r, o) => {
    const out: string[] = [];
    for (let i = 0; i < (o.sentences as number); i++) out.push(sentence(r, r.range(5, 10)));
    return out.join(' ');
  },
});

export const FakeCharactersTransform = defineFake('FakeCharacters', {
  format: '`count` (default 10) lower-case letters and digits',
  options: { count: { type: 'integer', default: 10, min: 1, max: 1000 } },
  supportsUnique: true,
  generate: (r, o) => {
    let s = '';
    for (let i = 0; i < (o.count as number); i++) s += ALPHANUMERIC[r.int(ALPHANUMERIC.length)];
    return s;
  },
});

export const FakeCharacterTransform = defineFake('FakeCharacter', {
  format: 'one lower-case letter or digit',
  generate: (r) => ALPHANUMERIC[r.int(ALPHANUMERIC.length)],
});

export const FakeDigitsTransform = defineFake('FakeDigits', {
  format: '`count` (default 10) decimal digits (may start with 0)',
  options: { count: { type: 'integer', default: 10, min: 1, max: 1000 } },
  generate: (r, o) => r.digits(o.count as number),
});
