// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto


export interface CommitChange {
  'xid'?: (number);
  'commit_end_lsn'?: (string);
  'commit_time_micros'?: (string);
  'change_count'?: (number);
}

export interface CommitChange__Output {
  'xid': (number);
  'commit_end_lsn': (string);
  'commit_time_micros': (string);
  'change_count': (number);
}
