import type { ColumnMeta, Datum, Tuple } from '@kasho/contracts';
import type { TransformEngine } from '@kasho/transforms';
import { decodeField, rowEnd, splitFields, writeField } from './copy-text.codec';

/**
 * The rows of a table with transform rules, COPY text in and out: each row is split, the fields
 * its transforms read are decoded, the tuple goes through TransformEngine.transformTuple (the path
 * streamed rows take), and the row is written back with the configured columns re-encoded from the
 * transform's output and every other field copied byte for byte. A configured column's source value
 * is never written: a row that cannot be transformed rejects the whole chunk.
 */
export class CopyRowTransformer {
  private readonly bounds: Int32Array;
  private readonly configuredSet: Uint8Array;
  private readonly inputSet: Uint8Array;

  constructor(
    private readonly engine: TransformEngine,
    readonly schema: string,
    readonly table: string,
    private readonly columns: ColumnMeta[],
  ) {
    this.bounds = new Int32Array(columns.length * 2 + 2);
    this.configuredSet = columnMask(columns, engine.configuredColumns(schema, table));
    this.inputSet = columnMask(columns, engine.inputColumns(schema, table));
  }

  /**
   * Transforms the complete rows of `buf`; `consumed` is where the first incomplete row starts. A row
   * is written as soon as it is transformed, with the field bounds its decoding found; from the first
   * row whose transforms are asynchronous (password hashes) on, rows wait for their tuples and are
   * split again to be written, in order.
   */
  async transformRows(buf: Buffer): Promise<{ output: Buffer; consumed: number }> {
    const out = new OutputBuffer(buf.length + (buf.length >> 2) + 64);
    const waiting: { start: number; end: number; tuple: Tuple | Promise<Tuple> }[] = [];
    let start = 0;
    try {
      for (let end = rowEnd(buf, 0); end !== -1; end = rowEnd(buf, start)) {
        const tuple = this.engine.transformTupleEager(this.schema, this.table, this.columns, this.decodeRow(buf, start, end));
        if (waiting.length === 0 && !(tuple instanceof Promise)) this.writeRow(out, buf, tuple);
        else waiting.push({ start, end, tuple });
        start = end + 1;
      }
    } catch (err) {
      for (const w of waiting) Promise.resolve(w.tuple).catch(() => undefined);
      throw err;
    }
    const tuples = await Promise.all(waiting.map((w) => w.tuple));
    for (let r = 0; r < waiting.length; r++) {
      splitFields(buf, waiting[r].start, waiting[r].end, this.bounds);
      this.writeRow(out, buf, tuples[r]);
    }
    return { output: out.result(), consumed: start };
  }

  /** One row: the configured columns from `tuple`, every other field copied from `buf` (at this.bounds). */
  private writeRow(out: OutputBuffer, buf: Buffer, tuple: Tuple): void {
    const bounds = this.bounds;
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) out.byte(0x09);
      if (this.configuredSet[i] === 1) out.field(tuple[columns[i].name] ?? null);
      else out.bytes(buf, bounds[2 * i], bounds[2 * i + 1]);
    }
    out.byte(0x0a);
  }

  private decodeRow(buf: Buffer, start: number, end: number): Tuple {
    const bounds = this.bounds;
    const fields = splitFields(buf, start, end, bounds);
    if (fields !== this.columns.length) {
      throw new Error(`COPY row of ${this.schema}.${this.table} has ${fields} fields, expected ${this.columns.length}`);
    }
    const tuple: Tuple = {};
    for (let i = 0; i < fields; i++) {
      if (this.inputSet[i] === 1) tuple[this.columns[i].name] = decodeField(buf, bounds[2 * i], bounds[2 * i + 1]);
    }
    return tuple;
  }
}

/** 1 at the index of every column whose name is in `names`, else 0. */
function columnMask(columns: readonly ColumnMeta[], names: readonly string[]): Uint8Array {
  const set = new Set(names);
  return Uint8Array.from(columns, (c) => (set.has(c.name) ? 1 : 0));
}

/** A growable byte buffer for one output chunk. */
class OutputBuffer {
  private buf: Buffer;
  private n = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(capacity, 256));
  }

  byte(b: number): void {
    if (this.n + 1 > this.buf.length) this.grow(1);
    this.buf[this.n++] = b;
  }

  bytes(src: Buffer, start: number, end: number): void {
    const len = end - start;
    if (this.n + len > this.buf.length) this.grow(len);
    // Short fields in this loop; Buffer#copy (a call into C++) pays off for long ones only.
    if (len > 64) this.n += src.copy(this.buf, this.n, start, end);
    else for (let i = start; i < end; i++) this.buf[this.n++] = src[i];
  }

  /** A value as a COPY text field (escaped; `\N` for NULL). */
  field(value: Datum): void {
    const max = (value === null ? 0 : value.length * 3) + 2;
    if (this.n + max > this.buf.length) this.grow(max);
    this.n = writeField(this.buf, this.n, value);
  }

  result(): Buffer {
    return this.buf.subarray(0, this.n);
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + extra + 256));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
}
