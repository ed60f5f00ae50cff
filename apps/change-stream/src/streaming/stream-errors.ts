import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';

export function invalidArgument(message: string): RpcException {
  return new RpcException({ code: status.INVALID_ARGUMENT, message });
}

export function failedPrecondition(message: string): RpcException {
  return new RpcException({ code: status.FAILED_PRECONDITION, message });
}

export function unavailable(message: string): RpcException {
  return new RpcException({ code: status.UNAVAILABLE, message });
}

export function resourceExhausted(message: string): RpcException {
  return new RpcException({ code: status.RESOURCE_EXHAUSTED, message });
}
