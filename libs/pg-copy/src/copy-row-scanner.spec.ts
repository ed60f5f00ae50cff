import { copyRowScanner } from './copy-row-scanner';

/** A binary COPY stream of `rows` (null = SQL NULL), with `extension` bytes of header extension. */
function binaryCopy(rows: (Buffer | null)[][], extension = 0): { data: Buffer; rowEnds: number[] } {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
  const int = (n: number, bytes: 2 | 4) => {
    const b = Buffer.alloc(bytes);
    if (bytes === 2) b.writeInt16BE(n);
    else b.writeInt32BE(n);
    return b;
  };
  parts.push(int(0, 4), int(extension, 4), Buffer.alloc(extension, 7));
  const rowEnds: number[] = [];
  let size = parts.reduce((n, p) => n + p.length, 0);
  for (const row of rows) {
    const tuple = [int(row.length, 2), ...row.flatMap((v) => (v === null ? [int(-1, 4)] : [int(v.length, 4), v]))];
    parts.push(...tuple);
    size += tuple.reduce((n, p) => n + p.length, 0);
    rowEnds.push(size);
  }
  parts.push(int(-1, 2));
  rowEnds.push(size + 2);
  return { data: Buffer.concat(parts), rowEnds };
}

/** Feeds `data` cut at `cuts`; returns the absolute row-end offsets the scanner reported. */
function feed(format: 'text' | 'binary', data: Buffer, cuts: number[]) {
  const scanner = copyRowScanner(format);
  const reported: number[] = [];
  let from = 0;
  for (const to of [...cuts, data.length]) {
    const end = scanner.scan(data.subarray(from, to));
    if (end !== -1) reported.push(from + end);
    from = to;
  }
  return { scanner, reported };
}

describe('copyRowScanner', () => {
  describe('binary', () => {
    // Values contain what text COPY would treat as delimiters: the binary walk must only follow lengths.
    const rows = [
      [Buffer.from('a\tb\nc'), null, Buffer.alloc(0)],
      [Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.alloc(300, 10), null],
      [null, null, null],
    ];

    it('counts rows and reports where the last complete row of each chunk ends, whatever the cuts', () => {
      const { data, rowEnds } = binaryCopy(rows, 5);
      for (let cut = 0; cut <= data.length; cut++) {
        const { scanner, reported } = feed('binary', data, [cut]);
        expect(scanner.rows).toBe(3);
        expect(scanner.complete).toBe(true);
        // The last end reported in each chunk is a real row end, and the final one is the trailer's end.
        for (const end of reported) expect(rowEnds).toContain(end);
        expect(reported[reported.length - 1]).toBe(data.length);
      }
      const oneByte = feed(
        'binary',
        data,
        Array.from({ length: data.length - 1 }, (_, i) => i + 1),
      );
      expect(oneByte.reported).toEqual(rowEnds);
    });

    it('is not complete before the trailer and handles a range without rows', () => {
      const { data } = binaryCopy([]);
      expect(feed('binary', data.subarray(0, data.length - 1), []).scanner.complete).toBe(false);
      const whole = feed('binary', data, []);
      expect(whole.scanner.rows).toBe(0);
      expect(whole.scanner.complete).toBe(true);
      expect(whole.reported).toEqual([data.length]);
    });

    it('rejects a stream without the signature, bytes after the trailer and negative lengths', () => {
      expect(() => copyRowScanner('binary').scan(Buffer.from('1\tx\n'.repeat(10)))).toThrow(/PGCOPY signature/);
      const { data } = binaryCopy(rows);
      expect(() => copyRowScanner('binary').scan(Buffer.concat([data, Buffer.from([0])]))).toThrow(/after its trailer/);
      const bad = binaryCopy([[Buffer.from('x')]]).data;
      bad.writeInt32BE(-5, 21);
      expect(() => copyRowScanner('binary').scan(bad)).toThrow(/negative length/);
    });
  });

  describe('text', () => {
    it('counts newline-ended rows and knows when the stream ends inside a row', () => {
      const data = Buffer.from('1\ta\\nb\n2\t\\N\n3\tc\n');
      for (let cut = 0; cut <= data.length; cut++) {
        const { scanner, reported } = feed('text', data, [cut]);
        expect(scanner.rows).toBe(3);
        expect(scanner.complete).toBe(true);
        expect(reported[reported.length - 1]).toBe(data.length);
      }
      const partial = feed('text', data.subarray(0, data.length - 2), []);
      expect(partial.scanner.rows).toBe(2);
      expect(partial.scanner.complete).toBe(false);
    });
  });
});
