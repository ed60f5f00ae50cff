import { bootEngine, col } from '@kasho/testing/transforms';

async function mask(options: string, values: (string | null)[], type = 'text'): Promise<(string | null | undefined)[]> {
  const { engine, module } = await bootEngine(`version: v1\ntables:\n  public.t:\n    v: {type: Mask${options}}\n`);
  try {
    const out = [];
    for (const v of values) out.push((await engine.transformTuple('public', 't', [col('v', type)], { v })).v);
    return out;
  } finally {
    await module.close();
  }
}

describe('Mask transform', () => {
  it('keeps the last 4 characters by default and masks the rest with *; NULL stays NULL', async () => {
    expect(await mask('', ['4111111111111111', 'abcde', null, ''])).toEqual(['************1111', '*bcde', null, '']);
  });

  it('keeps keep_start and keep_end characters, with the chosen char', async () => {
    expect(await mask(", keep_start: 2, keep_end: 3, char: '#'", ['ada@corp.example', 'abcdef'])).toEqual(['ad###########ple', 'ab#def']);
    expect(await mask(', keep_start: 1, keep_end: 0', ['secret'])).toEqual(['s*****']);
  });

  it('masks a value no longer than keep_start + keep_end whole', async () => {
    expect(await mask(', keep_start: 2, keep_end: 2', ['abcd', 'abc', 'a', 'abcde'])).toEqual(['****', '***', '*', 'ab*de']);
  });

  it('counts Unicode code points, not UTF-16 units', async () => {
    expect(await mask(", keep_start: 1, keep_end: 1, char: '•'", ['🎉ab🎉', 'éèêë'])).toEqual(['🎉••🎉', 'é••ë']);
    expect(await mask(", keep_end: 2, char: '🙈'", ['x🎉y🎉'])).toEqual(['🙈🙈y🎉']);
  });

  it('validates its options at boot, naming the file, line and table.column', async () => {
    await expect(mask(", char: '**'", [])).rejects.toThrow(/transforms\.yml:4: public\.t\.v: option 'char' must be exactly one character, got 2/);
    await expect(mask(", char: ''", [])).rejects.toThrow(/option 'char' must be exactly one character, got 0/);
    await expect(mask(', keep_end: -1', [])).rejects.toThrow(/public\.t\.v: option 'keep_end' must be at least 0, got -1/);
    await expect(mask(', keep_start: 1.5', [])).rejects.toThrow(/option 'keep_start' must be an integer/);
    await expect(mask(', char: 7', [])).rejects.toThrow(/option 'char' must be a string/);
  });

  it('refuses a column its masked output cannot be written to, before any row', async () => {
    await expect(mask('', ['12345678'], 'integer')).rejects.toThrow(/public\.t\.v: Mask: masked values do not fit the column/);
    expect(await mask(", char: '0'", ['12345678'], 'integer')).toEqual(['00005678']);
  });
});
