import type { ColumnMeta, CopyFormat, Tuple } from '@kasho/contracts';
import type { TransformEngine } from '@kasho/transforms';
import { CopyOutputBuffer, CopyRowCodec, rowCodec } from '@kasho/pg-copy';
import { CopyFieldCountError } from './copy-transform.errors';

/**
 * The rows of a table with transform rules, COPY text or binary in and out: each row is split, the
 * fields its transforms read are decoded, the tuple goes through TransformEngine.transformTuple (the
 * path streamed rows take), and the row is written back with the configured columns re-encoded from
 * the transform's output and every other field copied byte for byte (COPY binary's header and
 * trailer too). A configured column's source value is never written: a row that cannot be
 * transformed rejects the whole chunk.
 */
export class CopyRowTransformer {
  private readonly bounds: Int32Array;
  private readonly configuredSet: Uint8Array;
  private readonly inputSet: Uint8Array;
  private readonly names: readonly string[];
  private readonly codec: CopyRowCodec;
  private readonly fields = { count: 0 };

  constructor(
    private readonly engine: TransformEngine,
    readonly schema: string,
    readonly table: string,
    private readonly columns: ColumnMeta[],
    format: CopyFormat = 'text',
  ) {
    this.bounds = new Int32Array(columns.length * 2 + 2);
    this.configuredSet = columnMask(columns, engine.configuredColumns(schema, table));
    this.inputSet = columnMask(columns, engine.inputColumns(schema, table));
    this.names = columns.map((c) => c.name);
    this.codec = rowCodec(format);
  }

  /**
   * Transforms the complete rows of `buf`; `consumed` is where the first incomplete row starts. A row
   * is written as soon as it is transformed, with the field bounds its decoding found; from the first
   * row whose transforms are asynchronous (password hashes) on, rows wait for their tuples and are
   * split again to be written, in order.
   */
  async transformRows(buf: Buffer): Promise<{ output: Buffer; consumed: number }> {
    const out = new CopyOutputBuffer(buf.length + (buf.length >> 2) + 64);
    const waiting: { start: number; tuple: Tuple | Promise<Tuple> }[] = [];
    const header = this.codec.prologue(buf);
    if (header === -1) return { output: out.result(), consumed: 0 };
    out.bytes(buf, 0, header);
    let start = header;
    try {
      for (let end = this.row(buf, start); end !== -1; end = this.row(buf, start)) {
        const tuple = this.engine.transformTupleEager(this.schema, this.table, this.columns, this.decodeRow(buf));
        if (waiting.length === 0 && !(tuple instanceof Promise)) this.writeRow(out, buf, tuple);
        else waiting.push({ start, tuple });
        start = end;
      }
    } catch (err) {
      for (const w of waiting) Promise.resolve(w.tuple).catch(() => undefined);
      throw err;
    }
    const tuples = await Promise.all(waiting.map((w) => w.tuple));
    for (let r = 0; r < waiting.length; r++) {
      this.row(buf, waiting[r].start);
      this.writeRow(out, buf, tuples[r]);
    }
    const trailer = this.codec.epilogue(buf, start);
    out.bytes(buf, start, start + trailer);
    return { output: out.result(), consumed: start + trailer };
  }

  /** The end of the row at `start` with its bounds in this.bounds, or -1; throws on a wrong field count. */
  private row(buf: Buffer, start: number): number {
    const end = this.codec.row(buf, start, this.bounds, this.fields);
    if (end !== -1 && this.fields.count !== this.columns.length) {
      throw new CopyFieldCountError(`${this.schema}.${this.table}`, this.fields.count, this.columns.length);
    }
    return end;
  }

  /** One row: the configured columns from `tuple`, every other field copied from `buf` (at this.bounds). */
  private writeRow(out: CopyOutputBuffer, buf: Buffer, tuple: Tuple): void {
    this.codec.writeRow(out, buf, this.bounds, this.configuredSet, tuple, this.names);
  }

  /** The tuple of the fields the transforms read, from the row whose bounds are in this.bounds. */
  private decodeRow(buf: Buffer): Tuple {
    const bounds = this.bounds;
    const tuple: Tuple = {};
    for (let i = 0; i < this.names.length; i++) {
      if (this.inputSet[i] === 1) tuple[this.names[i]] = this.codec.decode(buf, bounds[2 * i], bounds[2 * i + 1]);
    }
    return tuple;
  }
}

/** 1 at the index of every column whose name is in `names`, else 0. */
function columnMask(columns: readonly ColumnMeta[], names: readonly string[]): Uint8Array {
  const set = new Set(names);
  return Uint8Array.from(columns, (c) => (set.has(c.name) ? 1 : 0));
}
