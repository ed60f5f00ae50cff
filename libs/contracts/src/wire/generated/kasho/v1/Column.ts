// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface Column {
  'name'?: (string);
  'type'?: (string);
  'type_oid'?: (number);
  'type_mod'?: (number);
  'key'?: (boolean);
}

export interface Column__Output {
  'name': (string);
  'type': (string);
  'type_oid': (number);
  'type_mod': (number);
  'key': (boolean);
}
