/**
 * TypeScript shapes of the kasho.v1 messages as @grpc/proto-loader produces them with
 * KASHO_PROTO_LOADER_OPTIONS (keepCase, longs as strings, enums as strings, oneof discriminators).
 * Must match libs/contracts/src/proto/kasho.proto.
 */
import { Observable } from 'rxjs';

export interface WireStreamRequest {
  after_position: string;
  window: number;
  consumer_id: string;
  target_id: string;
}

export interface WireAckRequest {
  consumer_id: string;
  received_position: string;
  applied_position: string;
  /** Deprecated and ignored by the server (it reads the commit end LSN from its own buffer). */
  applied_commit_end_lsn?: string;
}

export type WireAckResponse = Record<string, never>;

export interface WireColumn {
  name: string;
  type: string;
  type_oid: number;
  type_mod: number;
  key: boolean;
}

export interface WireDatum {
  text?: string;
  null?: boolean;
  value?: 'text' | 'null';
}

export type WireRowKind = 'KIND_UNSPECIFIED' | 'INSERT' | 'UPDATE' | 'DELETE';

export interface WireRowChange {
  kind: WireRowKind;
  schema: string;
  table: string;
  columns: WireColumn[];
  new_values: Record<string, WireDatum>;
  old_values: Record<string, WireDatum>;
  unchanged_toast: string[];
  replica_identity: string;
  has_new: boolean;
  has_old: boolean;
  relation_id: string;
}

export interface WireTruncateChange {
  relations: { schema: string; table: string }[];
  cascade: boolean;
  restart_identity: boolean;
}

export interface WireDdlChange {
  sql: string;
  search_path: string;
  tag: string;
  object: string;
}

export interface WireCommitChange {
  xid: number;
  commit_end_lsn: string;
  commit_time_micros: string;
  change_count: number;
}

export interface WireChange {
  position: string;
  row?: WireRowChange;
  truncate?: WireTruncateChange;
  ddl?: WireDdlChange;
  commit?: WireCommitChange;
  payload?: 'row' | 'truncate' | 'ddl' | 'commit';
}

export interface WireRelation {
  id: string;
  columns: WireColumn[];
}

export interface WireChangeBatch {
  changes: WireChange[];
  relations: WireRelation[];
}

/** The client-side view of the ChangeStream service (Nest's ClientGrpc.getService). */
export interface ChangeStreamClient {
  Stream(request: WireStreamRequest): Observable<WireChangeBatch>;
  Ack(request: WireAckRequest): Observable<WireAckResponse>;
}
