// Generated from kasho.proto by `npm run gen:wire` (proto-loader-gen-types). Do not edit.
// Original file: libs/contracts/src/proto/kasho.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AckRequest as _kasho_v1_AckRequest, AckRequest__Output as _kasho_v1_AckRequest__Output } from '../../kasho/v1/AckRequest';
import type { AckResponse as _kasho_v1_AckResponse, AckResponse__Output as _kasho_v1_AckResponse__Output } from '../../kasho/v1/AckResponse';
import type { ChangeBatch as _kasho_v1_ChangeBatch, ChangeBatch__Output as _kasho_v1_ChangeBatch__Output } from '../../kasho/v1/ChangeBatch';
import type { StreamRequest as _kasho_v1_StreamRequest, StreamRequest__Output as _kasho_v1_StreamRequest__Output } from '../../kasho/v1/StreamRequest';

export interface ChangeStreamClient extends grpc.Client {
  Ack(argument: _kasho_v1_AckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _kasho_v1_AckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kasho_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _kasho_v1_AckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _kasho_v1_AckRequest, callback: grpc.requestCallback<_kasho_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _kasho_v1_AckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _kasho_v1_AckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kasho_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _kasho_v1_AckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kasho_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _kasho_v1_AckRequest, callback: grpc.requestCallback<_kasho_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  
  Stream(argument: _kasho_v1_StreamRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kasho_v1_ChangeBatch__Output>;
  Stream(argument: _kasho_v1_StreamRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kasho_v1_ChangeBatch__Output>;
  stream(argument: _kasho_v1_StreamRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_kasho_v1_ChangeBatch__Output>;
  stream(argument: _kasho_v1_StreamRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_kasho_v1_ChangeBatch__Output>;
  
}

export interface ChangeStreamHandlers extends grpc.UntypedServiceImplementation {
  Ack: grpc.handleUnaryCall<_kasho_v1_AckRequest__Output, _kasho_v1_AckResponse>;
  
  Stream: grpc.handleServerStreamingCall<_kasho_v1_StreamRequest__Output, _kasho_v1_ChangeBatch>;
  
}

export interface ChangeStreamDefinition extends grpc.ServiceDefinition {
  Ack: MethodDefinition<_kasho_v1_AckRequest, _kasho_v1_AckResponse, _kasho_v1_AckRequest__Output, _kasho_v1_AckResponse__Output>
  Stream: MethodDefinition<_kasho_v1_StreamRequest, _kasho_v1_ChangeBatch, _kasho_v1_StreamRequest__Output, _kasho_v1_ChangeBatch__Output>
}
