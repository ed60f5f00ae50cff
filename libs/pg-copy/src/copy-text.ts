import type { Datum } from '@kasho/contracts';

/**
 * PostgreSQL COPY text format, as COPY … TO STDOUT writes it and COPY … FROM STDIN reads it
 * (delimiter TAB, NULL `\N`, no header): a raw newline ends a row, a raw TAB ends a field, and a
 * value's own backslash, newline, carriage return and tab are escaped. The input side also accepts
 * \b \f \v, octal `\NNN` and hex `\xHH` byte escapes, and `\c` for any other c. Decoding works on
 * bytes (UTF-8: 0x09, 0x0A and 0x5C never occur inside a multi-byte character), so byte escapes
 * that form a multi-byte character decode correctly.
 */
const TAB = 0x09;
/** The byte that ends every row (a value's own newlines are escaped as `\\n`). */
export const TEXT_ROW_TERMINATOR = 0x0a;
const BACKSLASH = 0x5c;
const N = 0x4e;

/** The value of the field in bytes [start, end) of `buf`; `\N` is NULL, an empty field is ''. */
export function decodeTextField(buf: Buffer, start: number, end: number): Datum {
  if (end - start === 2 && buf[start] === BACKSLASH && buf[start + 1] === N) return null;
  // A bounded scan: Buffer#indexOf has no end and would search the rest of the chunk for every field.
  let first = start;
  while (first < end && buf[first] !== BACKSLASH) first++;
  if (first === end) return buf.toString('utf8', start, end);
  const out = Buffer.allocUnsafe(end - start);
  let n = buf.copy(out, 0, start, first);
  for (let i = first; i < end; i++) {
    const c = buf[i];
    if (c !== BACKSLASH || i + 1 >= end) {
      out[n++] = c;
      continue;
    }
    const e = buf[++i];
    switch (e) {
      case 0x62:
        out[n++] = 0x08;
        break; // \b
      case 0x66:
        out[n++] = 0x0c;
        break; // \f
      case 0x6e:
        out[n++] = 0x0a;
        break; // \n
      case 0x72:
        out[n++] = 0x0d;
        break; // \r
      case 0x74:
        out[n++] = 0x09;
        break; // \t
      case 0x76:
        out[n++] = 0x0b;
        break; // \v
      case 0x78: {
        // \xH or \xHH
        let value = 0;
        let digits = 0;
        while (digits < 2 && i + 1 < end && hexValue(buf[i + 1]) >= 0) {
          value = value * 16 + hexValue(buf[++i]);
          digits++;
        }
        out[n++] = digits > 0 ? value : 0x78;
        break;
      }
      default:
        if (e >= 0x30 && e <= 0x37) {
          // \N, \NN, \NNN (octal)
          let value = e - 0x30;
          for (let d = 0; d < 2 && i + 1 < end && buf[i + 1] >= 0x30 && buf[i + 1] <= 0x37; d++) value = value * 8 + (buf[++i] - 0x30);
          out[n++] = value & 0xff;
        } else {
          out[n++] = e; // \\ and any other \c → c
        }
    }
  }
  return out.toString('utf8', 0, n);
}

/** The characters a COPY text field escapes, each with the letter that follows its backslash. */
const ESCAPED: readonly (readonly [string, string])[] = [
  ['\\', '\\'],
  ['\n', 'n'],
  ['\r', 'r'],
  ['\t', 't'],
  ['\b', 'b'],
  ['\f', 'f'],
  ['\v', 'v'],
];
const NEEDS_ESCAPE = /[\\\n\r\t\b\f\v]/;
const ESCAPES: Record<string, string> = Object.fromEntries(ESCAPED.map(([c, letter]) => [c, `\\${letter}`]));

/** A value as a COPY text field: NULL → `\N`; backslash and control characters escaped. */
export function encodeTextField(value: Datum): string {
  if (value === null) return '\\N';
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\n\r\t\b\f\v]/g, (c) => ESCAPES[c]);
}

/** For an ASCII code: the letter its COPY escape uses (`\n` → `n`), or 0 when it is written as is. */
const ESCAPE_LETTER = new Uint8Array(128);
for (const [c, letter] of ESCAPED) ESCAPE_LETTER[c.charCodeAt(0)] = letter.charCodeAt(0);

/**
 * `encodeTextField(value)` as UTF-8 into `out` at `offset`, which must have room for
 * `(value?.length ?? 0) * 3 + 2` bytes; returns the offset after it. ASCII is escaped and copied in
 * this loop; from the first other character on, the rest goes through encodeTextField and Buffer#write.
 */
export function writeTextField(out: Buffer, offset: number, value: Datum): number {
  if (value === null) {
    out[offset] = BACKSLASH;
    out[offset + 1] = N;
    return offset + 2;
  }
  let n = offset;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return n + out.write(encodeTextField(value.slice(i)), n, 'utf8');
    const letter = ESCAPE_LETTER[c];
    if (letter === 0) out[n++] = c;
    else {
      out[n++] = BACKSLASH;
      out[n++] = letter;
    }
  }
  return n;
}

/**
 * Field boundaries of the row in bytes [start, end) (without its newline): `bounds[2i]`, `bounds[2i+1]`
 * are the start and end of field i. Returns the number of fields found. A byte loop: fields are
 * short, and a call into Buffer#indexOf per field costs more than scanning them here.
 */
export function splitTextFields(buf: Buffer, start: number, end: number, bounds: Int32Array): number {
  const slots = bounds.length >> 1;
  let fields = 0;
  let fieldStart = start;
  for (let i = start; i < end; i++) {
    if (buf[i] !== TAB) continue;
    if (fields < slots) {
      bounds[2 * fields] = fieldStart;
      bounds[2 * fields + 1] = i;
    }
    fields++;
    fieldStart = i + 1;
  }
  if (fields < slots) {
    bounds[2 * fields] = fieldStart;
    bounds[2 * fields + 1] = end;
  }
  return fields + 1;
}

/** Index of the newline ending the row that starts at `from`, or -1 if the row is incomplete. */
export function textRowEnd(buf: Buffer, from: number): number {
  return buf.indexOf(TEXT_ROW_TERMINATOR, from);
}

/** The offset just past the last complete row in `buf` (0 when no row ends in it). */
export function textRowsEnd(buf: Buffer): number {
  return buf.lastIndexOf(TEXT_ROW_TERMINATOR) + 1;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
