import { ChangeEnvelope, GRPC_MAX_MESSAGE_BYTES, MAX_STREAMED_CHANGE_BYTES, changeSize } from '@kasho/contracts';
import { resourceExhausted } from '../grpc/grpc-status.mapper';

const MIB = 1024 * 1024;

/**
 * Refuses a page holding a change too big for one gRPC message (a change is never cut in two):
 * RESOURCE_EXHAUSTED naming its position, kind and table, never its values. The stream stops there,
 * so nothing after it is skipped. The cheap size is checked first; only a change within a factor
 * of 3 of the limit (multi-byte text) is measured in UTF-8 bytes. Returns the page's size as the
 * byte caps count it (envelopesSize), so the caller does not measure it again.
 */
export function assertStreamable(page: readonly ChangeEnvelope[]): number {
  let total = 0;
  for (const envelope of page) {
    const size = changeSize(envelope.change);
    total += size;
    if (size * 3 <= MAX_STREAMED_CHANGE_BYTES) continue;
    const bytes = changeSize(envelope.change, { utf8: true });
    if (bytes <= MAX_STREAMED_CHANGE_BYTES) continue;
    const change = envelope.change;
    const what = 'table' in change ? `${change.kind} on ${change.schema}.${change.table}` : change.kind;
    throw resourceExhausted(
      `the change at position ${envelope.position} (${what}) is ${Math.ceil(bytes / MIB)} MiB, over the ` +
        `${GRPC_MAX_MESSAGE_BYTES / MIB} MiB gRPC message limit: it cannot be streamed. The stream stops at this change; ` +
        'make the row smaller on the source (or skip that change) to continue',
    );
  }
  return total;
}
