// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CopyChunk as _kasho_v1_CopyChunk, CopyChunk__Output as _kasho_v1_CopyChunk__Output } from '../../kasho/v1/CopyChunk';
import type { CopyRangeRequest as _kasho_v1_CopyRangeRequest, CopyRangeRequest__Output as _kasho_v1_CopyRangeRequest__Output } from '../../kasho/v1/CopyRangeRequest';
import type { Empty as _kasho_v1_Empty, Empty__Output as _kasho_v1_Empty__Output } from '../../kasho/v1/Empty';
import type { FinishSnapshotRequest as _kasho_v1_FinishSnapshotRequest, FinishSnapshotRequest__Output as _kasho_v1_FinishSnapshotRequest__Output } from '../../kasho/v1/FinishSnapshotRequest';
import type { PrepareSnapshotRequest as _kasho_v1_PrepareSnapshotRequest, PrepareSnapshotRequest__Output as _kasho_v1_PrepareSnapshotRequest__Output } from '../../kasho/v1/PrepareSnapshotRequest';
import type { SequenceList as _kasho_v1_SequenceList, SequenceList__Output as _kasho_v1_SequenceList__Output } from '../../kasho/v1/SequenceList';
import type { SnapshotPlan as _kasho_v1_SnapshotPlan, SnapshotPlan__Output as _kasho_v1_SnapshotPlan__Output } from '../../kasho/v1/SnapshotPlan';

export interface SnapshotClient extends grpc.Client {
  CopyRange(argument: _kasho_v1_CopyRangeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kasho_v1_CopyChunk__Output>;
  CopyRange(argument: _kasho_v1_CopyRangeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kasho_v1_CopyChunk__Output>;
  copyRange(argument: _kasho_v1_CopyRangeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kasho_v1_CopyChunk__Output>;
  copyRange(argument: _kasho_v1_CopyRangeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kasho_v1_CopyChunk__Output>;
  
  Finish(argument: _kasho_v1_FinishSnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_Empty__Output>): grpc.ClientUnaryCall;
  Finish(argument: _kasho_v1_FinishSnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kasho_v1_Empty__Output>): grpc.ClientUnaryCall;
  Finish(argument: _kasho_v1_FinishSnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_Empty__Output>): grpc.ClientUnaryCall;
  Finish(argument: _kasho_v1_FinishSnapshotRequest, callback: grpc.requestCallback<_kasho_v1_Empty__Output>): grpc.ClientUnaryCall;
  finish(argument: _kasho_v1_FinishSnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_Empty__Output>): grpc.ClientUnaryCall;
  finish(argument: _kasho_v1_FinishSnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kasho_v1_Empty__Output>): grpc.ClientUnaryCall;
  finish(argument: _kasho_v1_FinishSnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_Empty__Output>): grpc.ClientUnaryCall;
  finish(argument: _kasho_v1_FinishSnapshotRequest, callback: grpc.requestCallback<_kasho_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Prepare(argument: _kasho_v1_PrepareSnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_SnapshotPlan__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _kasho_v1_PrepareSnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kasho_v1_SnapshotPlan__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _kasho_v1_PrepareSnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_SnapshotPlan__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _kasho_v1_PrepareSnapshotRequest, callback: grpc.requestCallback<_kasho_v1_SnapshotPlan__Output>): grpc.ClientUnaryCall;
  prepare(argument: _kasho_v1_PrepareSnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_SnapshotPlan__Output>): grpc.ClientUnaryCall;
  prepare(argument: _kasho_v1_PrepareSnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kasho_v1_SnapshotPlan__Output>): grpc.ClientUnaryCall;
  prepare(argument: _kasho_v1_PrepareSnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_SnapshotPlan__Output>): grpc.ClientUnaryCall;
  prepare(argument: _kasho_v1_PrepareSnapshotRequest, callback: grpc.requestCallback<_kasho_v1_SnapshotPlan__Output>): grpc.ClientUnaryCall;
  
  Sequences(argument: _kasho_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_SequenceList__Output>): grpc.ClientUnaryCall;
  Sequences(argument: _kasho_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_kasho_v1_SequenceList__Output>): grpc.ClientUnaryCall;
  Sequences(argument: _kasho_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_SequenceList__Output>): grpc.ClientUnaryCall;
  Sequences(argument: _kasho_v1_Empty, callback: grpc.requestCallback<_kasho_v1_SequenceList__Output>): grpc.ClientUnaryCall;
  sequences(argument: _kasho_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_SequenceList__Output>): grpc.ClientUnaryCall;
  sequences(argument: _kasho_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_kasho_v1_SequenceList__Output>): grpc.ClientUnaryCall;
  sequences(argument: _kasho_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_SequenceList__Output>): grpc.ClientUnaryCall;
  sequences(argument: _kasho_v1_Empty, callback: grpc.requestCallback<_kasho_v1_SequenceList__Output>): grpc.ClientUnaryCall;
  
}

export interface SnapshotHandlers extends grpc.UntypedServiceImplementation {
  CopyRange: grpc.handleServerStreamingCall<_kasho_v1_CopyRangeRequest__Output, _kasho_v1_CopyChunk>;
  
  Finish: grpc.handleUnaryCall<_kasho_v1_FinishSnapshotRequest__Output, _kasho_v1_Empty>;
  
  Prepare: grpc.handleUnaryCall<_kasho_v1_PrepareSnapshotRequest__Output, _kasho_v1_SnapshotPlan>;
  
  Sequences: grpc.handleUnaryCall<_kasho_v1_Empty__Output, _kasho_v1_SequenceList>;
  
}

export interface SnapshotDefinition extends grpc.ServiceDefinition {
  CopyRange: MethodDefinition<_kasho_v1_CopyRangeRequest, _kasho_v1_CopyChunk, _kasho_v1_CopyRangeRequest__Output, _kasho_v1_CopyChunk__Output>
  Finish: MethodDefinition<_kasho_v1_FinishSnapshotRequest, _kasho_v1_Empty, _kasho_v1_FinishSnapshotRequest__Output, _kasho_v1_Empty__Output>
  Prepare: MethodDefinition<_kasho_v1_PrepareSnapshotRequest, _kasho_v1_SnapshotPlan, _kasho_v1_PrepareSnapshotRequest__Output, _kasho_v1_SnapshotPlan__Output>
  Sequences: MethodDefinition<_kasho_v1_Empty, _kasho_v1_SequenceList, _kasho_v1_Empty__Output, _kasho_v1_SequenceList__Output>
}
