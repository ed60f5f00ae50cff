import { DDL_CAPTURE_VERSION, quoteLiteral, renderSetupSql } from './render-setup-sql';
import { SETUP_SQL } from './setup-sql';

describe('renderSetupSql', () => {
  it('drops psql meta-commands and substitutes variables as literals', () => {
    const sql = renderSetupSql('30-replication-slot.sql', { slot_name: "we'ird" });
    expect(sql).not.toMatch(/^\\/m);
    expect(sql).toContain("pg_create_logical_replication_slot('we''ird', 'pgoutput')");
    expect(sql).toContain("WHERE slot_name = 'we''ird'");
    expect(() => renderSetupSql('10-ddl-capture.sql', {})).not.toThrow();
  });

  it("takes a variable that is not given from the file's \\set default, as psql does", () => {
    const sql = renderSetupSql('20-publication.sql', { publication_name: 'p', exclude_tables: 'a.*' });
    expect(sql).toContain("kasho.setup_publications('p', 'insert-only', 'a.*',\n                                ('false')::boolean, 'kasho_slot')");
    expect(renderSetupSql('20-publication.sql')).toContain("kasho.setup_publications('kasho_pub', 'insert-only', '',");
  });

  it('quotes like PQescapeLiteral', () => {
    expect(quoteLiteral("a'b")).toBe("'a''b'");
    expect(quoteLiteral('a\\b')).toBe(" E'a\\\\b'");
  });

  it('checks the DDL capture version the file installs', () => {
    expect(SETUP_SQL['10-ddl-capture.sql']).toContain(`IS '${DDL_CAPTURE_VERSION}'`);
  });
});
