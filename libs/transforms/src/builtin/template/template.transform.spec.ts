import { bootEngine, col } from '@kasho/testing/transforms';
import { TransformOptionError } from '../../transform.errors';
import { compileTemplate, slugify } from './template.renderer';

const render = (t: string, row: Record<string, string | null>) => compileTemplate(t).render((c) => row[c]);

describe('template engine', () => {
  it('renders fields, pipes and prefix calls', () => {
    const row = { name: 'Ada Lovelace', email: 'ada@math.org' };
    expect(render('{{.name}} <{{.email}}>', row)).toBe('Ada Lovelace <ada@math.org>');
    expect(render('{{.name | lower}}/{{.name | upper}}/{{.name | slugify}}', row)).toBe('ada lovelace/ADA LOVELACE/ada-lovelace');
    expect(render('{{.email | before "@"}}|{{.email | after "@"}}|{{.name | after "@"}}|{{.name | before "@"}}', row)).toBe('ada|math.org||Ada Lovelace');
    expect(render('{{before "@" .email | upper}}', row)).toBe('ADA');
    expect(render('{{"lit"}}-{{`raw`}}{{/* comment */}}', row)).toBe('lit-raw');
  });

  it('supports if / else if / else / end; NULL and empty are false and render empty', () => {
    const t = '{{if .a}}A={{.a}}{{else if .b}}B{{else}}none{{end}}';
    expect(render(t, { a: 'x', b: 'y' })).toBe('A=x');
    expect(render(t, { a: '', b: 'y' })).toBe('B');
    expect(render(t, { a: null, b: null })).toBe('none');
    expect(render('[{{.a}}]', { a: null })).toBe('[]');
  });

  it('trims around {{- and -}}', () => {
    expect(render('a  {{- .x -}}  b', { x: 'X' })).toBe('aXb');
  });

  it('lists the columns it reads', () => {
    expect([...compileTemplate('{{if .a}}{{.b | before .c}}{{end}}').fields].sort()).toEqual(['a', 'b', 'c']);
  });

  it('refuses to render a column the change does not carry', () => {
    expect(() => compileTemplate('{{.x}}').render(() => undefined)).toThrow(/does not carry/);
  });

  it.each([
    ['{{.a', /unclosed action/],
    ['{{if .a}}x', /missing \{\{end\}\}/],
    ['{{end}}', /unexpected \{\{end\}\}/],
    ['{{.a | nope}}', /unknown function 'nope'/],
    ['{{.a .b}}', /forget a \|/],
    ['{{before .a}}', /before takes 1 argument/],
    ['{{.a | "x"}}', /must be a function/],
    ['{{}}', /empty action/],
  ])('rejects %s at boot', (t, message) => {
    expect(() => compileTemplate(t)).toThrow(TransformOptionError);
    expect(() => compileTemplate(t)).toThrow(message);
  });

  it('slugifies like the original, folding accents', () => {
    expect(slugify('  Héllo, Wörld!! 42 ')).toBe('hello-world-42');
  });
});

describe('Template transform', () => {
  const yaml = `version: v1
tables:
  public.users:
    name: FakeName
    email: {type: Template, template: '{{.name | slugify}}.{{.handle}}@example.com'}
    handle: {type: Template, template: '{{.id}}'}
`;
  const columns = [col('id', 'int4', true), col('name'), col('email'), col('handle')];

  it('sees the transformed values of other columns (two phases, row transforms in dependency order)', async () => {
    const { engine, module } = await bootEngine(yaml);
    const out = await engine.transformTuple('public', 'users', columns, { id: '7', name: 'John Doe', email: 'john@corp.com', handle: 'jd' });
    expect(out.name).not.toBe('John Doe');
    expect(out.email).toBe(`${slugify(out.name as string)}.7@example.com`);
    expect(out.handle).toBe('7');
    const nullEmail = await engine.transformTuple('public', 'users', columns, { id: '7', name: 'John Doe', email: null, handle: 'jd' });
    expect(nullEmail.email).toBeNull();
    await module.close();
  });

  it('fails closed when a referenced column is absent (unchanged TOAST)', async () => {
    const { engine, module } = await bootEngine(yaml);
    await expect(engine.transformTuple('public', 'users', columns, { id: '7', email: 'x' })).rejects.toThrow(
      /public\.users\.email: Template failed: template reads column 'name', which this change does not carry/,
    );
    await module.close();
  });

  it('checks referenced columns when the table is first seen', async () => {
    const { engine, module } = await bootEngine(yaml);
    await expect(engine.transformTuple('public', 'users', [col('name'), col('email'), col('handle')], { name: 'x' })).rejects.toThrow(
      /public\.users\.handle: Template references column 'id', which the table does not have/,
    );
    await module.close();
  });

  it('refuses a key column whose template reads non-key columns (the old key could not be matched)', async () => {
    const { engine, module } = await bootEngine(yaml);
    const keyed = [col('id', 'int4', true), col('name'), col('email', 'text', true), col('handle')];
    await expect(engine.transformTuple('public', 'users', keyed, { id: '1' })).rejects.toThrow(/replica-identity column reads non-key column 'name'/);
    await module.close();
  });
});
