// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface ForeignKey {
  'name'?: (string);
  'columns'?: (string)[];
  'referenced_schema'?: (string);
  'referenced_table'?: (string);
  'referenced_columns'?: (string)[];
}

export interface ForeignKey__Output {
  'name': (string);
  'columns': (string)[];
  'referenced_schema': (string);
  'referenced_table': (string);
  'referenced_columns': (string)[];
}
