import type { CopyFormat } from '@kasho/contracts';
import { BINARY_HEADER_FIXED, BINARY_SIGNATURE } from './copy-binary';
import { TEXT_ROW_TERMINATOR } from './copy-text';

/**
 * Finds row boundaries in a COPY stream cut anywhere. Reads only delimiters (text) or lengths
 * (binary), never a value, so nothing it reports can carry row data.
 */
export interface CopyRowScanner {
  /** Complete rows seen so far. */
  readonly rows: number;
  /** True when the bytes scanned so far end exactly where a row ends (binary: after the trailer). */
  readonly complete: boolean;
  /** Scans the next bytes; returns the offset in `chunk` just past the last row that ends in it, or -1. */
  scan(chunk: Buffer): number;
}

export function copyRowScanner(format: CopyFormat): CopyRowScanner {
  return format === 'binary' ? new BinaryCopyRows() : new TextCopyRows();
}

/** COPY text: a raw newline ends every row (a value's own newlines are escaped as `\n`). */
class TextCopyRows implements CopyRowScanner {
  rows = 0;
  complete = true;

  scan(chunk: Buffer): number {
    if (chunk.length === 0) return -1;
    let last = -1;
    for (let i = chunk.indexOf(TEXT_ROW_TERMINATOR); i !== -1; i = chunk.indexOf(TEXT_ROW_TERMINATOR, i + 1)) {
      this.rows++;
      last = i;
    }
    this.complete = chunk[chunk.length - 1] === TEXT_ROW_TERMINATOR;
    return last === -1 ? -1 : last + 1;
  }
}

const enum Step {
  /** Signature, flags and header-extension length: 19 bytes. */
  Header,
  /** Header extension bytes to skip. */
  Extension,
  /** A tuple's int16 field count, or the int16 -1 trailer. */
  Count,
  /** A field's int32 length (-1 = NULL). */
  Length,
  /** A field's bytes to skip. */
  Value,
  /** After the trailer: nothing may follow. */
  Done,
}

/**
 * COPY binary (PostgreSQL docs, "Binary Format"): a 19-byte header (signature, int32 flags, int32
 * extension length, then the extension), tuples of an int16 field count followed by, per field, an
 * int32 length (-1 for NULL) and that many bytes, and an int16 -1 trailer. Integers are big-endian
 * and may straddle chunks; those are gathered byte by byte, the others read in place.
 */
class BinaryCopyRows implements CopyRowScanner {
  rows = 0;
  private step = Step.Header;
  /** Bytes still to skip (Extension, Value) or the size of the integer or header being gathered. */
  private need = BINARY_HEADER_FIXED;
  private readonly head = Buffer.alloc(BINARY_HEADER_FIXED);
  private have = 0;
  private fieldsLeft = 0;

  get complete(): boolean {
    return this.step === Step.Done;
  }

  scan(chunk: Buffer): number {
    let last = -1;
    let i = 0;
    const length = chunk.length;
    while (i < length) {
      if (this.step === Step.Count && this.have === 0) {
        const end = this.wholeTuples(chunk, i);
        if (end > i) i = last = end;
        if (i >= length) break;
      }
      const step = this.step;
      if (step === Step.Value || step === Step.Extension) {
        const n = Math.min(this.need, length - i);
        i += n;
        this.need -= n;
        if (this.need > 0) continue;
        if (step === Step.Extension) this.expect(Step.Count, 2);
        else if (this.fieldDone()) last = i;
      } else if (step === Step.Done) {
        throw new Error('COPY binary data continues after its trailer');
      } else if (this.have === 0 && step !== Step.Header && i + this.need <= length) {
        const value = step === Step.Count ? chunk.readInt16BE(i) : chunk.readInt32BE(i);
        i += this.need;
        if (step === Step.Count ? this.counted(value) : this.measured(value)) last = i;
      } else {
        while (this.have < this.need && i < length) this.head[this.have++] = chunk[i++];
        if (this.have < this.need) continue;
        this.have = 0;
        if (step === Step.Header) this.headerRead();
        else if (step === Step.Count ? this.counted(this.head.readInt16BE(0)) : this.measured(this.head.readInt32BE(0))) last = i;
      }
    }
    return last;
  }

  /**
   * The common case, read in place: the tuples that lie whole in `chunk` from `start` (which is at a
   * field count). Returns the offset after the last of them; `start` when there is none.
   */
  private wholeTuples(chunk: Buffer, start: number): number {
    const length = chunk.length;
    let i = start;
    while (i + 2 <= length) {
      const count = ((chunk[i] << 24) | (chunk[i + 1] << 16)) >> 16;
      if (count < 0) break; // the trailer, or an error the step machine reports
      let j = i + 2;
      let f = 0;
      for (; f < count && j + 4 <= length; f++) {
        const size = (chunk[j] << 24) | (chunk[j + 1] << 16) | (chunk[j + 2] << 8) | chunk[j + 3];
        j += 4;
        if (size > 0) j += size;
        else if (size < -1) return i; // the step machine reports it
      }
      if (f < count || j > length) break;
      this.rows++;
      i = j;
    }
    return i;
  }

  private headerRead(): void {
    if (!this.head.subarray(0, BINARY_SIGNATURE.length).equals(BINARY_SIGNATURE)) throw new Error('COPY binary data does not start with the PGCOPY signature');
    const extension = this.head.readUInt32BE(BINARY_HEADER_FIXED - 4);
    if (extension > 0) this.expect(Step.Extension, extension);
    else this.expect(Step.Count, 2);
  }

  /** A tuple's field count (or the trailer). True when a row, or the stream, ended. */
  private counted(count: number): boolean {
    if (count === -1) {
      this.step = Step.Done;
      return true;
    }
    if (count < 0) throw new Error(`COPY binary tuple has a negative field count (${count})`);
    this.fieldsLeft = count;
    if (count > 0) {
      this.expect(Step.Length, 4);
      return false;
    }
    this.rows++;
    this.expect(Step.Count, 2);
    return true;
  }

  /** A field's length. True when it ended the row (NULL or empty last field). */
  private measured(length: number): boolean {
    if (length === -1 || length === 0) return this.fieldDone();
    if (length < 0) throw new Error(`COPY binary field has a negative length (${length})`);
    this.expect(Step.Value, length);
    return false;
  }

  /** One field of the current tuple is complete. True when it was the tuple's last. */
  private fieldDone(): boolean {
    if (--this.fieldsLeft > 0) {
      this.expect(Step.Length, 4);
      return false;
    }
    this.rows++;
    this.expect(Step.Count, 2);
    return true;
  }

  private expect(step: Step, bytes: number): void {
    this.step = step;
    this.need = bytes;
    this.have = 0;
  }
}
