import { binaryFieldCount, binaryHeaderLength, isBinaryTrailer, readBinaryFields } from './copy-binary';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function header(extension: number[] = []): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeInt32BE(extension.length, 4);
  return Buffer.concat([SIGNATURE, fixed, Buffer.from(extension)]);
}

/** One tuple: each field's bytes, null for NULL. */
function tuple(fields: (Buffer | null)[]): Buffer {
  const count = Buffer.alloc(2);
  count.writeInt16BE(fields.length);
  const parts: Buffer[] = [count];
  for (const f of fields) {
    const len = Buffer.alloc(4);
    len.writeInt32BE(f === null ? -1 : f.length);
    parts.push(len, ...(f === null ? [] : [f]));
  }
  return Buffer.concat(parts);
}

describe('COPY binary', () => {
  it('measures the header with its extension, and only at the start of the data', () => {
    expect(binaryHeaderLength(header())).toBe(19);
    expect(binaryHeaderLength(header([1, 2, 3]))).toBe(22);
    expect(binaryHeaderLength(header([1, 2, 3]).subarray(0, 21))).toBe(-1);
    expect(binaryHeaderLength(SIGNATURE.subarray(0, 5))).toBe(-1);
    expect(binaryHeaderLength(tuple([Buffer.from('x')]))).toBe(0);
    expect(binaryHeaderLength(Buffer.alloc(0))).toBe(0);
  });

  it('reads field bounds, NULL as -1, and reports an incomplete tuple', () => {
    const row = tuple([Buffer.from('ab'), null, Buffer.alloc(0)]);
    const buf = Buffer.concat([Buffer.from([9]), row, Buffer.from([0xff, 0xff])]);
    const bounds = new Int32Array(6);
    expect(binaryFieldCount(buf, 1)).toBe(3);
    const end = readBinaryFields(buf, 1, 3, bounds);
    expect(end).toBe(1 + row.length);
    expect(buf.toString('utf8', bounds[0], bounds[1])).toBe('ab');
    expect([bounds[2], bounds[3]]).toEqual([-1, -1]);
    expect(bounds[5] - bounds[4]).toBe(0);
    expect(isBinaryTrailer(buf, end)).toBe(true);
    expect(binaryFieldCount(buf, end)).toBe(-1);
    for (let cut = 3; cut < row.length; cut++) expect(readBinaryFields(buf.subarray(0, 1 + cut), 1, 3, bounds)).toBe(-1);
    expect(binaryFieldCount(buf.subarray(0, 2), 1)).toBe(-1);
  });
});
