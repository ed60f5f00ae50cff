import type { CopyFormat, Datum, Tuple } from '@kasho/contracts';
import { binaryFieldCount, binaryHeaderLength, isBinaryTrailer, readBinaryFields } from './copy-binary';
import { decodeTextField, splitTextFields, textRowEnd } from './copy-text';
import type { CopyOutputBuffer } from './copy-output-buffer';

/**
 * How rows of one COPY format are found, read and written by CopyRowTransformer. Field bounds are
 * pairs in an Int32Array (start, end of field i at 2i, 2i+1).
 */
export interface CopyRowCodec {
  /** Bytes before the first row at the start of a chunk (COPY binary's header): 0 if none, -1 if incomplete. */
  prologue(buf: Buffer): number;
  /**
   * The end of the row starting at `start` (after its terminator), its field bounds in `bounds`, or -1
   * when the row is incomplete or the data ends there. Returns the field count found in `fields`.
   */
  row(buf: Buffer, start: number, bounds: Int32Array, fields: { count: number }): number;
  /** Bytes of the end-of-data marker at `at` (COPY binary's trailer), else 0. */
  epilogue(buf: Buffer, at: number): number;
  /** The value of the field in bytes [start, end). */
  decode(buf: Buffer, start: number, end: number): Datum;
  /** One row: `tuple[names[i]]` where `replaced[i]` is 1, else field i's bytes from `buf` at `bounds`. */
  writeRow(out: CopyOutputBuffer, buf: Buffer, bounds: Int32Array, replaced: Uint8Array, tuple: Tuple, names: readonly string[]): void;
}

/** COPY text: rows end with a newline, fields are TAB-separated, escaped, `\N` is NULL. */
export const TEXT_ROWS: CopyRowCodec = {
  prologue: () => 0,
  row(buf, start, bounds, fields) {
    const end = textRowEnd(buf, start);
    if (end === -1) return -1;
    fields.count = splitTextFields(buf, start, end, bounds);
    return end + 1;
  },
  epilogue: () => 0,
  decode: decodeTextField,
  writeRow(out, buf, bounds, replaced, tuple, names) {
    for (let i = 0; i < replaced.length; i++) {
      if (i > 0) out.byte(0x09);
      if (replaced[i] === 1) out.textField(tuple[names[i]] ?? null);
      else out.bytes(buf, bounds[2 * i], bounds[2 * i + 1]);
    }
    out.byte(0x0a);
  },
};

/**
 * COPY binary: a header before the first row, length-prefixed fields, a trailer after the last row.
 * Decoded and re-encoded values are those of text-typed columns (their bytes are UTF-8 text); every
 * other field is copied as it came.
 */
export const BINARY_ROWS: CopyRowCodec = {
  prologue: binaryHeaderLength,
  row(buf, start, bounds, fields) {
    const count = binaryFieldCount(buf, start);
    if (count === -1) return -1;
    fields.count = count;
    return readBinaryFields(buf, start, Math.min(count, bounds.length >> 1), bounds);
  },
  epilogue: (buf, at) => (isBinaryTrailer(buf, at) ? 2 : 0),
  decode: (buf, start, end) => (start === -1 ? null : buf.toString('utf8', start, end)),
  writeRow(out, buf, bounds, replaced, tuple, names) {
    out.int16(replaced.length);
    for (let i = 0; i < replaced.length; i++) {
      if (replaced[i] === 1) out.binaryTextField(tuple[names[i]] ?? null);
      else if (bounds[2 * i] === -1) out.int32(-1);
      else {
        out.int32(bounds[2 * i + 1] - bounds[2 * i]);
        out.bytes(buf, bounds[2 * i], bounds[2 * i + 1]);
      }
    }
  },
};

export function rowCodec(format: CopyFormat): CopyRowCodec {
  return format === 'binary' ? BINARY_ROWS : TEXT_ROWS;
}
