/**
 * PostgreSQL COPY binary format, as COPY … TO STDOUT (FORMAT binary) writes it and COPY … FROM
 * STDIN (FORMAT binary) reads it: an 11-byte signature, a 32-bit flags field and a header extension
 * (32-bit length, then that many bytes); then each row as a 16-bit field count followed by each field
 * as a 32-bit length (-1 for NULL) and that many bytes; then a 16-bit -1. All integers big-endian.
 * A text-typed field's bytes are its value in the connection's client encoding (UTF-8 here).
 */
/** PGCOPY\n\377\r\n\0: the first 11 bytes of every binary COPY stream. */
export const BINARY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, int32 flags and int32 header-extension length: the header before its extension. */
export const BINARY_HEADER_FIXED = BINARY_SIGNATURE.length + 8;

/** text, character varying, character: a COPY binary field of these is the value's UTF-8 bytes. */
export const BINARY_TEXT_TYPE_OIDS: ReadonlySet<number> = new Set([25, 1043, 1042]);

/**
 * Bytes of the header at the start of `buf`: 0 when `buf` does not start with the signature (a chunk
 * after the first), -1 when it starts with an incomplete header.
 */
export function binaryHeaderLength(buf: Buffer): number {
  const prefix = Math.min(buf.length, BINARY_SIGNATURE.length);
  if (prefix === 0 || buf.compare(BINARY_SIGNATURE, 0, prefix, 0, prefix) !== 0) return 0;
  if (buf.length < BINARY_HEADER_FIXED) return -1;
  const total = BINARY_HEADER_FIXED + buf.readInt32BE(BINARY_HEADER_FIXED - 4);
  return buf.length < total ? -1 : total;
}

/** Whether the end-of-data marker (a 16-bit -1) is at `at`. */
export function isBinaryTrailer(buf: Buffer, at: number): boolean {
  return at + 2 <= buf.length && buf[at] === 0xff && buf[at + 1] === 0xff;
}

/**
 * The row starting at `start`: its field count, or -1 when `start` is at the trailer or the count is
 * not all there. Its fields are read by {@link readBinaryFields}.
 */
export function binaryFieldCount(buf: Buffer, start: number): number {
  if (start + 2 > buf.length || isBinaryTrailer(buf, start)) return -1;
  return buf.readInt16BE(start);
}

/**
 * Field bounds of the row starting at `start` with `fields` fields: `bounds[2i]`, `bounds[2i+1]` are
 * the start and end of field i's bytes (both -1 for NULL). Returns the row's end, or -1 when the row
 * is incomplete in `buf`.
 */
export function readBinaryFields(buf: Buffer, start: number, fields: number, bounds: Int32Array): number {
  let p = start + 2;
  for (let i = 0; i < fields; i++) {
    if (p + 4 > buf.length) return -1;
    const len = buf.readInt32BE(p);
    p += 4;
    if (len === -1) {
      bounds[2 * i] = -1;
      bounds[2 * i + 1] = -1;
      continue;
    }
    if (len < 0 || p + len > buf.length) return -1;
    bounds[2 * i] = p;
    bounds[2 * i + 1] = p + len;
    p += len;
  }
  return p;
}
