import { decodeTextField, encodeTextField, splitTextFields, textRowEnd, writeTextField } from './copy-text';

const decode = (text: string | Buffer) => {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return decodeTextField(buf, 0, buf.length);
};

describe('COPY text codec', () => {
  it('tells NULL from the empty string and from a literal backslash-N', () => {
    expect(decode('\\N')).toBeNull();
    expect(decode('')).toBe('');
    expect(decode('\\\\N')).toBe('\\N');
    expect(encodeTextField(null)).toBe('\\N');
    expect(encodeTextField('')).toBe('');
    expect(encodeTextField('\\N')).toBe('\\\\N');
  });

  it('decodes every escape', () => {
    expect(decode('a\\tb\\nc\\rd\\\\e')).toBe('a\tb\nc\rd\\e');
    expect(decode('\\b\\f\\v')).toBe('\b\f\v');
    expect(decode('\\101\\60x\\7')).toBe('A0x\u0007');
    expect(decode('\\x41\\x4a\\x4')).toBe('AJ\u0004');
    expect(decode('\\xZ')).toBe('xZ');
    expect(decode('\\q\\.')).toBe('q.');
  });

  it('decodes byte escapes that form one multi-byte UTF-8 character', () => {
    expect(decode('caf\\303\\251')).toBe('café');
    expect(decode('caf\\xc3\\xa9')).toBe('café');
    expect(decode('naïve ✓ 😀')).toBe('naïve ✓ 😀');
  });

  it('keeps tabs, newlines and backslashes inside values through an encode/decode round trip', () => {
    for (const value of ['tab\there', 'line\nbreak', 'cr\r\n', 'back\\slash', '\\', 'x\b\f\vy', 'plain', '', 'ünï', '{"a":"b\\"c"}']) {
      const encoded = encodeTextField(value);
      expect(encoded).not.toMatch(/[\t\n]/);
      expect(decode(encoded)).toBe(value);
    }
  });

  it('round-trips bytea text form (its backslash is escaped by COPY)', () => {
    // COPY TO writes the bytea value \x00ff as \\x00ff.
    expect(decode('\\\\x00ff')).toBe('\\x00ff');
    expect(encodeTextField('\\x00ff')).toBe('\\\\x00ff');
  });

  it('splits rows on raw newlines and fields on raw tabs only', () => {
    const buf = Buffer.from('1\ta\\tb\t\\N\n2\t\t\\n\n', 'utf8');
    const bounds = new Int32Array(16);
    const end1 = textRowEnd(buf, 0);
    expect(splitTextFields(buf, 0, end1, bounds)).toBe(3);
    expect(decodeTextField(buf, bounds[0], bounds[1])).toBe('1');
    expect(decodeTextField(buf, bounds[2], bounds[3])).toBe('a\tb');
    expect(decodeTextField(buf, bounds[4], bounds[5])).toBeNull();
    const end2 = textRowEnd(buf, end1 + 1);
    expect(splitTextFields(buf, end1 + 1, end2, bounds)).toBe(3);
    expect(decodeTextField(buf, bounds[2], bounds[3])).toBe('');
    expect(decodeTextField(buf, bounds[4], bounds[5])).toBe('\n');
    expect(textRowEnd(buf, end2 + 1)).toBe(-1);
  });

  it('writes a field into a buffer as the UTF-8 bytes of what encodeTextField encodes', () => {
    const samples = [null, '', 'plain', '\\N', 'a\tb\nc\rd\\e\b\f\v', 'naïve ✓ 😀\t\\', 'x'.repeat(300) + '\n', '\ud800 lone', 'é'];
    for (let i = 0; i < 200; i++) {
      samples.push(
        Array.from({ length: i % 40 }, (_, j) => String.fromCharCode([9, 10, 92, 65, 233, 0x2713, 0xd83d, 0xde00, 11][(i * 7 + j * 3) % 9])).join(''),
      );
    }
    const out = Buffer.alloc(2000);
    for (const value of samples) {
      const end = writeTextField(out, 5, value);
      expect(out.subarray(5, end)).toEqual(Buffer.from(encodeTextField(value), 'utf8'));
    }
  });
});
