// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface Datum {
  'text'?: (string);
  'null'?: (boolean);
  'value'?: "text"|"null";
}

export interface Datum__Output {
  'text'?: (string);
  'null'?: (boolean);
  'value'?: "text"|"null";
}
