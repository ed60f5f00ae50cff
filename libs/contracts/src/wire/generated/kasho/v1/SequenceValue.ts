// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface SequenceValue {
  'schema'?: (string);
  'name'?: (string);
  'last_value'?: (string);
  'is_called'?: (boolean);
  'increment'?: (string);
}

export interface SequenceValue__Output {
  'schema': (string);
  'name': (string);
  'last_value': (string);
  'is_called': (boolean);
  'increment': (string);
}
