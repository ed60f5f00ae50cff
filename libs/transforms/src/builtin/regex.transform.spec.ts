import { bootEngine, col } from '@kasho/testing/transforms';
import { TransformError } from '../transform.errors';

async function regex(pattern: string, replacement: string, values: (string | null)[], extra = '', top = '') {
  const yaml = `version: v1\n${top}tables:\n  public.t:\n    v: {type: Regex, pattern: ${JSON.stringify(pattern)}, replacement: ${JSON.stringify(replacement)}${extra}}\n`;
  const { engine, module } = await bootEngine(yaml);
  const out = [];
  try {
    for (const v of values) out.push((await engine.transformTuple('public', 't', [col('v')], { v })).v);
  } finally {
    await module.close();
  }
  return out;
}

describe('Regex transform', () => {
  it('replaces every match with Go-style group references', async () => {
    expect(await regex('(\\w+)@(\\w+)\\.com', '${1}_x@$2.test', ['ann@corp.com, bob@web.com'])).toEqual(['ann_x@corp.test, bob_x@web.test']);
    expect(await regex('(?P<user>\\w+)@', '${user}+$$@', ['ann@x'])).toEqual(['ann+$@x']);
    expect(await regex('\\d', '#', ['a1b22', 'none', null])).toEqual(['a#b##', 'none', null]);
  });

  it('is deterministic and leaves a non-matching value unchanged', async () => {
    expect(await regex('^(\\d{3})-(\\d{2})-(\\d{4})$', 'XXX-XX-$3', ['123-45-6789', '123-45-6789', 'n/a'])).toEqual(['XXX-XX-6789', 'XXX-XX-6789', 'n/a']);
  });

  it('on_no_match: null writes NULL, fail stops naming the column and never the value, keep leaves it', async () => {
    expect(await regex('\\d', '#', ['a1', 'none', null], ', on_no_match: null')).toEqual(['a#', null, null]);
    expect(await regex('\\d', '#', ['a1', 'none'], ', on_no_match: keep', 'mode: strict\n')).toEqual(['a#', 'none']);
    const failed = await regex('\\d', '#', ['a1', 'secret-none'], ', on_no_match: fail').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failed).toBeInstanceOf(TransformError);
    expect(failed!.message).toBe('public.t.v: Regex failed: the value does not match the pattern (on_no_match: fail)');
    expect(failed!.message).not.toContain('secret-none');
  });

  it('defaults on_no_match to fail in mode: strict and to keep (the behaviour before the option) otherwise', async () => {
    await expect(regex('\\d', '#', ['none'], '', 'mode: strict\n')).rejects.toThrow(/public\.t\.v: Regex failed: the value does not match/);
    expect(await regex('\\d', '#', ['none'], '', 'mode: permissive\n')).toEqual(['none']);
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
