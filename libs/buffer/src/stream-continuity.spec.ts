import { BufferGapError } from './buffer.errors';
import { assertContiguous } from './stream-continuity';
import { Position } from '@kasho/contracts';

const P = (t: string) => Position.parse(t);

describe('assertContiguous', () => {
  it('accepts a chain, a cursor between two entries, and a predecessor before the cursor (stream rebuilt)', () => {
    expect(() =>
      assertContiguous(P('5-0'), [
        { id: '6-0', prev: '5-0' },
        { id: '6-1', prev: '6-0' },
      ]),
    ).not.toThrow();
    expect(() => assertContiguous(P('5-3'), [{ id: '6-0', prev: '5-1' }])).not.toThrow();
    expect(() => assertContiguous(P('9-0'), [{ id: '10-0', prev: '0-0' }])).not.toThrow();
    expect(() => assertContiguous(P('9-0'), [])).not.toThrow();
  });

  it('reports a hole at the first entry whose predecessor was not seen, naming positions only', () => {
    const check = () =>
      assertContiguous(P('5-0'), [
        { id: '6-0', prev: '5-0' },
        { id: '8-0', prev: '7-0' },
      ]);
    expect(check).toThrow(BufferGapError);
    expect(check).toThrow('buffer hole: entry 8-0 follows 7-0, but the last entry read was 6-0');
    expect(() => assertContiguous(P('5-0'), [{ id: '7-0', prev: '6-0' }])).toThrow('last entry read was 5-0');
  });

  it('treats an entry without a predecessor as unprovable', () => {
    expect(() => assertContiguous(P('0-0'), [{ id: '1-0', prev: null }])).toThrow(BufferGapError);
  });
});
