import { coverageWarnings, strictRefusal } from './config-coverage';
import type { TableRules, TransformsConfig, TransformsMode } from './transforms-config';

function config(mode: TransformsMode, tables: Record<string, { columns?: string[]; kept?: string[]; line?: number }>): TransformsConfig {
  const map = new Map<string, TableRules>();
  for (const [key, t] of Object.entries(tables)) {
    const [schema, table] = key.split('.');
    const columns = (t.columns ?? []).map((column) => ({
      schema,
      table,
      column,
      typeName: 'FakeName',
      transform: { apply: (v: string) => v },
      prepared: {},
      unique: false,
      phase: 'value' as const,
      references: [],
    }));
    const lines = new Map([...(t.columns ?? []), ...(t.kept ?? [])].map((c, i) => [c, (t.line ?? 0) + i + 1]));
    map.set(key, { schema, table, columns, kept: t.kept ?? [], lines, line: t.line });
  }
  return { file: 'transforms.yml', mode, tables: map };
}

describe('config coverage', () => {
  const catalog = [
    { schema: 'public', table: 'users', columns: ['id', 'name', 'email'] },
    { schema: 'public', table: 'orders', columns: ['id'] },
    { schema: 'kasho', table: 'heartbeat', columns: ['id'] },
  ];

  it('warns about a misspelt table with a suggestion, and a column that does not exist yet, in both modes', () => {
    for (const mode of ['strict', 'permissive'] as const) {
      const warnings = coverageWarnings(
        config(mode, { 'public.user': { columns: ['name'], line: 3 }, 'public.users': { columns: ['name', 'phone'], kept: ['id', 'email'], line: 5 } }),
        catalog,
        'the target',
      );
      expect(warnings).toContain(
        "transforms.yml:3: public.user is configured but the target has no such table (did you mean 'public.users'?); its rules apply if it appears",
      );
      expect(warnings).toContain(
        'transforms.yml:7: public.users.phone is configured but the target has no such column (yet); the rule is inactive until a change carries the column',
      );
    }
  });

  it('in strict mode also lists what the catalog has unlisted (kasho.* exempt); silent when everything is listed', () => {
    const strict = coverageWarnings(config('strict', { 'public.users': { kept: ['id', 'name'] } }), catalog, 'the source');
    expect(strict).toEqual([
      'mode: strict: the source has columns transforms.yml does not list (public.users.email, public.orders.id); replication stops at the first change that carries one',
    ]);
    expect(coverageWarnings(config('permissive', { 'public.users': { kept: ['id'] } }), catalog, 'the source')).toEqual([]);
    expect(coverageWarnings(config('strict', { 'public.users': { kept: ['id', 'name', 'email'] }, 'public.orders': { kept: ['id'] } }), catalog, 'x')).toEqual(
      [],
    );
  });

  it('strictRefusal names the first unlisted schema.table.column', () => {
    const err = strictRefusal(config('strict', { 'public.users': { kept: ['id'], columns: ['name'] } }), catalog);
    expect(err?.message).toMatch(/^public\.users\.email: not listed in transforms\.yml; mode: strict .*; also not listed: public\.orders\.id$/);
    expect([err?.schema, err?.table, err?.column]).toEqual(['public', 'users', 'email']);
    expect(strictRefusal(config('permissive', {}), catalog)).toBeUndefined();
  });
});
