/**
 * The kasho.v1.ChangeStream messages as @grpc/proto-loader delivers them under
 * KASHO_PROTO_LOADER_OPTIONS: the types generated from kasho.proto (./generated, `npm run gen:wire`),
 * named here with a `Wire` prefix so they never meet the domain types of the same name.
 * `Wire<Message>` is the decoded form (every field present, longs and enums as strings);
 * `Wire<Message>Input` is what a sender may pass (every field optional).
 */
import type { Metadata } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { Observable } from 'rxjs';
import type { AckRequest, AckRequest__Output } from './generated/kasho/v1/AckRequest';
import type { AckResponse__Output } from './generated/kasho/v1/AckResponse';
import type { Change__Output } from './generated/kasho/v1/Change';
import type { ChangeBatch__Output } from './generated/kasho/v1/ChangeBatch';
import type { ChangeStreamClient as GeneratedChangeStreamClient, ChangeStreamDefinition } from './generated/kasho/v1/ChangeStream';
import type { Column__Output } from './generated/kasho/v1/Column';
import type { Datum__Output } from './generated/kasho/v1/Datum';
import type { Relation__Output } from './generated/kasho/v1/Relation';
import type { _kasho_v1_RowChange_Kind__Output, RowChange__Output } from './generated/kasho/v1/RowChange';
import type { StreamRequest, StreamRequest__Output } from './generated/kasho/v1/StreamRequest';

export type WireStreamRequest = StreamRequest__Output;
export type WireStreamRequestInput = StreamRequest;
export type WireAckRequest = AckRequest__Output;
export type WireAckRequestInput = AckRequest;
export type WireAckResponse = AckResponse__Output;
export type WireColumn = Column__Output;
export type WireDatum = Datum__Output;
export type WireRowKind = _kasho_v1_RowChange_Kind__Output;
export type WireRowChange = RowChange__Output;
export type WireChange = Change__Output;
export type WireRelation = Relation__Output;
export type WireChangeBatch = ChangeBatch__Output;

/** The plain @grpc/grpc-js client of kasho.v1.ChangeStream (callbacks and Node streams). */
export type WireChangeStreamClient = GeneratedChangeStreamClient;

/**
 * A generated service definition as Nest's `ClientGrpc.getService` presents it: each method takes
 * the request and returns an Observable of the decoded responses.
 */
export type NestGrpcService<Definition> = {
  [Method in keyof Definition as string extends Method ? never : Method]: Definition[Method] extends MethodDefinition<
    infer Request,
    infer _Response,
    infer _Request,
    infer Response
  >
    ? (request: Request, metadata?: Metadata) => Observable<Response>
    : never;
};

/** The client-side view of the ChangeStream service (Nest's ClientGrpc.getService). */
export type ChangeStreamClient = NestGrpcService<ChangeStreamDefinition>;
