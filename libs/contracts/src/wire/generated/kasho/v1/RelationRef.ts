// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface RelationRef {
  'schema'?: (string);
  'table'?: (string);
}

export interface RelationRef__Output {
  'schema': (string);
  'table': (string);
}
