// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface UniqueIndex {
  'name'?: (string);
  'columns'?: (string)[];
  'primary_key'?: (boolean);
  'partial'?: (boolean);
}

export interface UniqueIndex__Output {
  'name': (string);
  'columns': (string)[];
  'primary_key': (boolean);
  'partial': (boolean);
}
