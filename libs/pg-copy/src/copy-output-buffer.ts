import type { Datum } from '@kasho/contracts';
import { writeTextField } from './copy-text';

/** A growable byte buffer for one output chunk of COPY rows (text or binary). */
export class CopyOutputBuffer {
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

  int16(v: number): void {
    if (this.n + 2 > this.buf.length) this.grow(2);
    this.n = this.buf.writeInt16BE(v, this.n);
  }

  int32(v: number): void {
    if (this.n + 4 > this.buf.length) this.grow(4);
    this.n = this.buf.writeInt32BE(v, this.n);
  }

  /** A value as a COPY text field (escaped; `\N` for NULL). */
  textField(value: Datum): void {
    const max = (value === null ? 0 : value.length * 3) + 2;
    if (this.n + max > this.buf.length) this.grow(max);
    this.n = writeTextField(this.buf, this.n, value);
  }

  /** A value as a COPY binary field of a text type: its UTF-8 length and bytes; length -1 for NULL. */
  binaryTextField(value: Datum): void {
    if (value === null) return this.int32(-1);
    const max = value.length * 3 + 4;
    if (this.n + max > this.buf.length) this.grow(max);
    const at = this.n;
    let n = at + 4;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) {
        n += this.buf.write(value.slice(i), n, 'utf8');
        break;
      }
      this.buf[n++] = c;
    }
    this.buf.writeInt32BE(n - at - 4, at);
    this.n = n;
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
