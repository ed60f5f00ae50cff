import { Module } from '@nestjs/common';
import { AckService } from './ack.service';
import { ChangeFeedService } from './change-feed.service';
import { ChangeStreamGrpcController } from './change-stream.grpc.controller';
import { ConsumerLease } from './consumer-lease';

/**
 * kasho.v1.ChangeStream: the feed from the buffer to the one consumer, its flow control and its
 * acks. Exports the consumer lease, which a full snapshot also takes. Uses the buffer and capture.
 */
@Module({
  controllers: [ChangeStreamGrpcController],
  providers: [ChangeFeedService, ConsumerLease, AckService],
  exports: [ConsumerLease],
})
export class StreamingModule {}
