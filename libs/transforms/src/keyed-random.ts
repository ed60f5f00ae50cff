import { HmacSha256, putWords } from './hmac-sha256';

/** The key used when no TRANSFORMS_SECRET is configured. Public, so such outputs are reversible by dictionary. */
export const UNKEYED_SECRET = 'kasho-unkeyed-transforms-v1';

/**
 * HMAC-SHA256(secret, typeName 0x00 value): the only source of per-value randomness. Keyed, so the
 * holder of a replica cannot reverse a fake by hashing guessed inputs; input-only, so the same
 * value maps to the same output across rows, tables, restarts and machines.
 */
export class KeyedHasher {
  private readonly hmac: HmacSha256;
  readonly keyed: boolean;

  constructor(secret: string | undefined) {
    this.keyed = secret !== undefined && secret !== '';
    this.hmac = new HmacSha256(Buffer.from(this.keyed ? (secret as string) : UNKEYED_SECRET, 'utf8'));
  }

  digest(domain: string, value: string): Buffer {
    return this.hmac.digest(domain, value);
  }

  random(domain: string, value: string): KeyedRandom {
    return new KeyedRandom(this.hmac.digestWords(domain, value));
  }
}

const BASE32_CODES = Array.from('abcdefghijklmnopqrstuvwxyz234567', (c) => c.charCodeAt(0));
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Scratch arrays for `hex()`, one per length (this module runs on one thread at a time). */
const HEX_SCRATCH: number[][] = [];
/** Scratch for the default 12-character suffix (this module runs on one thread at a time). */
const SUFFIX_CODES = new Array<number>(12).fill(0);

/**
 * Draws from a 32-byte digest: the first 16 bytes seed sfc32 (integer-only arithmetic, identical on
 * every machine), the last 16 bytes are kept for `suffix()` so the uniqueness suffix does not
 * depend on how many draws a transform made. Built from the digest's 8 big-endian words (no bytes
 * unless a transform asks for `digest`).
 */
export class KeyedRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private bytes?: Buffer;

  constructor(private readonly words: Int32Array) {
    // The seeds are digest bytes 0–15 read little-endian: each big-endian word byte-swapped.
    this.a = swap32(words[0]) >>> 0;
    this.b = swap32(words[1]) >>> 0;
    this.c = swap32(words[2]) >>> 0;
    this.d = swap32(words[3]) | 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** The 32-byte digest (HMAC-SHA256 of the value). */
  get digest(): Buffer {
    if (!this.bytes) putWords(this.words, (this.bytes = Buffer.allocUnsafe(32)));
    return this.bytes;
  }

  /**
   * The first `length` (1–64) lower-case hex digits of the digest, read from its words: no Buffer and
   * no per-digit string for the value.
   */
  hex(length = 64): string {
    if (!Number.isInteger(length) || length < 1 || length > 64) throw new RangeError('hex length must be 1 to 64');
    const codes = (HEX_SCRATCH[length] ??= new Array<number>(length).fill(0));
    const words = this.words;
    for (let i = 0; i < length; i++) codes[i] = HEX_CODES[(words[i >> 3] >>> (28 - 4 * (i & 7))) & 15];
    return String.fromCharCode(...codes);
  }

  /** Digest bytes 0–3 as a little-endian signed 32-bit integer (a tag for the uniqueness guard). */
  tag(): number {
    return swap32(this.words[0]);
  }

  /** A uniform unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits. */
  float(): number {
    return ((this.next() >>> 5) * 67108864 + (this.next() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [0, n), n ≤ 2^32 (bias below n / 2^32). */
  int(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }

  /** Uniform integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  bool(): boolean {
    return (this.next() & 1) === 1;
  }

  /** `count` decimal digits; the first one in 1–9 when `noLeadingZero`. */
  digits(count: number, noLeadingZero = false): string {
    let out = '';
    for (let i = 0; i < count; i++) out += i === 0 && noLeadingZero ? 1 + this.int(9) : this.int(10);
    return out;
  }

  /** Replace each `#` with a digit and each `!` with a digit 2–9. */
  pattern(format: string): string {
    let out = '';
    for (let i = 0; i < format.length; i++) {
      const ch = format[i];
      out += ch === '#' ? this.int(10) : ch === '!' ? 2 + this.int(8) : ch;
    }
    return out;
  }

  /**
   * The 60 bits `suffix()` (12 characters) encodes, as two 32-bit words: digest bytes 16–19, and
   * bytes 20–23 with the 4 bits it leaves unused cleared. Equal suffixes, equal words.
   */
  suffixWords(): [number, number] {
    return [this.words[4], this.words[5] & ~0xf];
  }

  /** `length` (≤ 25) lower-case base32 characters from the reserved half of the digest (60 bits for 12). */
  suffix(length = 12): string {
    const codes = SUFFIX_CODES.length === length ? SUFFIX_CODES : new Array<number>(length);
    let acc = 0;
    let bits = 0;
    let byte = 16;
    for (let i = 0; i < length; i++) {
      if (bits < 5) {
        acc = ((acc << 8) | digestByte(this.words, byte++)) & 0xffff;
        bits += 8;
      }
      codes[i] = BASE32_CODES[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    // One flat string, not a chain of one-character concatenations.
    return String.fromCharCode(...codes);
  }
}

/** A 32-bit word with its bytes reversed (big-endian ↔ little-endian), as a signed integer. */
function swap32(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/** Byte `i` of the digest whose big-endian words are `words`. */
function digestByte(words: Int32Array, i: number): number {
  return (words[i >> 2] >>> (24 - 8 * (i & 3))) & 0xff;
}
