// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface AckRequest {
  'consumer_id'?: (string);
  'received_position'?: (string);
  'applied_position'?: (string);
  'applied_commit_end_lsn'?: (string);
}

export interface AckRequest__Output {
  'consumer_id': (string);
  'received_position': (string);
  'applied_position': (string);
  'applied_commit_end_lsn': (string);
}
