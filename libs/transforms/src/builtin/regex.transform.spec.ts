import { bootEngine, col } from '../../test/engine-fixture';

async function regex(pattern: string, replacement: string, values: (string | null)[]) {
  const yaml = `version: v1\ntables:\n  public.t:\n    v: {type: Regex, pattern: ${JSON.stringify(pattern)}, replacement: ${JSON.stringify(replacement)}}\n`;
  const { engine, module } = await bootEngine(yaml);
  const out = [];
  for (const v of values) out.push((await engine.transformTuple('public', 't', [col('v')], { v })).v);
  await module.close();
  return out;
}

describe('Regex transform', () => {
  it('replaces every match with Go-style group references', async () => {
    expect(await regex('(\\w+)@(\\w+)\\.com', '${1}_x@$2.test', ['ann@corp.com, bob@web.com'])).toEqual(['ann_x@corp.test, bob_x@web.test']);
    expect(await regex('(?P<user>\\w+)@', '${user}+$$@', ['ann@x'])).toEqual(['ann+$@x']);
    expect(await regex('\\d', '#', ['a1b22', 'none', null])).toEqual(['a#b##', 'none', null]);
  });

  it('is deterministic and leaves a non-matching value unchanged', async () => {
    expect(await regex('^(\\d{3})-(\\d{2})-(\\d{4})$', 'XXX-XX-$3', ['123-45-6789', '123-45-6789', 'n/a'])).toEqual([
      'XXX-XX-6789',
      'XXX-XX-6789',
      'n/a',
    ]);
  });

  it('rejects a reference to a missing group at boot, with a hint for $1x', async () => {
    await expect(regex('(a)', '$1x', [])).rejects.toThrow(/references group '1x' but the pattern has 1 group \(to follow group 1 with text, write \$\{1\}x\)/);
    await expect(regex('(a)', '$2', [])).rejects.toThrow(/references group '2'/);
  });

  it('runs in linear time on patterns that make backtracking engines explode', async () => {
    const evil = 'a'.repeat(5000) + '!';
    const started = Date.now();
    expect(await regex('^(a+)+$', 'x', [evil])).toEqual([evil]);
    expect(await regex('(a|aa)*b', 'x', [evil])).toEqual([evil]);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
