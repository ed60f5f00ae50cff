import { LuaScript } from './lua-script';
import type { BufferRedis } from './redis-connection';

/**
 * A page of the stream bounded by bytes as well as count (one call = one script run, no blocking):
 *   KEYS[1] stream; ARGV[1] the position to read after (exclusive), ARGV[2] max entries, ARGV[3] max bytes,
 *   ARGV[4] bytes already taken for this page by the caller (0: the page is empty so far).
 * Entries are taken one at a time (XRANGE … COUNT 1), so Redis never materialises more than one entry
 * past the budget; the first entry of an empty page is always taken, however big. Bytes are the stored field values.
 * Replies like XRANGE: `[[id, [field, value, …]], …]`.
 */
const READ_PAGE_LUA = `
local start = '(' .. ARGV[1]
local count = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
local out, bytes = {}, tonumber(ARGV[4])
local taken = bytes > 0
while #out < count do
  local page = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', 1)
  local entry = page[1]
  if entry == nil then break end
  local size = 0
  local fields = entry[2]
  for i = 2, #fields, 2 do size = size + #fields[i] end
  if taken and bytes + size > budget then break end
  out[#out + 1] = entry
  bytes = bytes + size
  taken = true
  start = '(' .. entry[1]
end
return out
`;

const READ_PAGE_SCRIPT = new LuaScript(READ_PAGE_LUA);

export type StreamEntries = [id: string, fields: string[]][];

/** EVALSHA; on NOSCRIPT loads the script and retries once. */
export async function readPage(redis: BufferRedis, stream: string, after: string, count: number, maxBytes: number, taken = 0): Promise<StreamEntries> {
  const args = [after, String(count), String(Math.max(1, Math.floor(maxBytes))), String(taken)];
  return (await READ_PAGE_SCRIPT.run(redis, [stream], args)) as StreamEntries;
}
