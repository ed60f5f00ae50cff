// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface DdlChange {
  'sql'?: (string);
  'search_path'?: (string);
  'tag'?: (string);
  'object'?: (string);
}

export interface DdlChange__Output {
  'sql': (string);
  'search_path': (string);
  'tag': (string);
  'object': (string);
}
