import { CHANGE_FIELD, PREV_FIELD } from './change-codec';
import { LuaScript } from './lua-script';
import type { BufferRedis } from './redis-connection';

/**
 * Atomic append (one call = one script run):
 *   KEYS[1] stream, KEYS[2] epoch key, KEYS[3] relations hash; ARGV[1] the writer's epoch, ARGV[2] the
 *   stream's last ID as this writer left it ('' = not known yet, right after open()), ARGV[3] the
 *   number R of relation definitions, then R `relationDigest, columnsJson` pairs, then `id, json` entry pairs
 *   in increasing order. Relations are stored before the entries that reference them, in the same run.
 * 1. `EPOCH` error when the epoch key is missing or differs (Redis restarted empty / another writer re-opened).
 * 2. `TAIL <last>` error when the stream's last-generated-id is not ARGV[2]: the stream lost its tail since
 *    this writer's last append (an older RDB, a lagging replica), which the epoch alone does not show.
 * 3. IDs at or below the stream's last-generated-id are skipped (re-delivery, I1).
 * 4. The rest are XADDed, each with its predecessor's ID in the `prev` field (the last-generated-id
 *    before it), so a reader can prove it missed nothing (I2). Returns {appended, skipped, last}.
 * IDs are compared as decimal strings (length, then bytes): Lua numbers are doubles and would lose 64-bit precision.
 * The three keys share the pipeline's hash tag (bufferKeys), so the script runs on a cluster too.
 */
const APPEND_LUA = `
local current = redis.call('GET', KEYS[2])
if current ~= ARGV[1] then
  return redis.error_reply('EPOCH the buffer epoch is ' .. (current and 'different' or 'missing'))
end
local function num_gt(a, b)
  if #a ~= #b then return #a > #b end
  return a > b
end
local function id_gt(a, b)
  local da = string.find(a, '-', 1, true)
  local db = string.find(b, '-', 1, true)
  local ma, mb = string.sub(a, 1, da - 1), string.sub(b, 1, db - 1)
  if ma ~= mb then return num_gt(ma, mb) end
  return num_gt(string.sub(a, da + 1), string.sub(b, db + 1))
end
local last = '0-0'
if redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then last = info[i + 1] break end
  end
end
if ARGV[2] ~= '' and ARGV[2] ~= last then
  return redis.error_reply('TAIL ' .. last)
end
local relations = tonumber(ARGV[3])
for r = 0, relations - 1 do
  redis.call('HSET', KEYS[3], ARGV[4 + 2 * r], ARGV[5 + 2 * r])
end
local appended, skipped = 0, 0
for i = 4 + 2 * relations, #ARGV, 2 do
  local id = ARGV[i]
  if id_gt(id, last) then
    redis.call('XADD', KEYS[1], id, '${CHANGE_FIELD}', ARGV[i + 1], '${PREV_FIELD}', last)
    last = id
    appended = appended + 1
  else
    skipped = skipped + 1
  end
end
return {appended, skipped, last}
`;

const APPEND_SCRIPT = new LuaScript(APPEND_LUA);

/** Loads the script (once per open; Redis forgets it on restart or SCRIPT FLUSH). */
export async function loadAppendScript(redis: BufferRedis): Promise<void> {
  await APPEND_SCRIPT.load(redis);
}

/**
 * EVALSHA; on NOSCRIPT loads the script and retries once. Rejects with the script's `EPOCH` and `TAIL`
 * errors as they are. `expectedLast`: the `last` of this writer's previous append ('' right after open()).
 */
export async function runAppendScript(
  redis: BufferRedis,
  keys: { stream: string; epoch: string; relations: string },
  epoch: string,
  expectedLast: string,
  entries: readonly (readonly [id: string, json: string])[],
  relations: readonly (readonly [id: string, json: string])[] = [],
): Promise<{ appended: number; skipped: number; last: string }> {
  const args: string[] = [epoch, expectedLast, String(relations.length)];
  for (const [id, json] of relations) args.push(id, json);
  for (const [id, json] of entries) args.push(id, json);
  const reply = await APPEND_SCRIPT.run(redis, [keys.stream, keys.epoch, keys.relations], args);
  const [appended, skipped, last] = reply as [number, number, string];
  return { appended: Number(appended), skipped: Number(skipped), last: String(last) };
}

export function isEpochError(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('EPOCH ');
}

/** The stream's actual last ID when the script refused with `TAIL`, else null. */
export function tailErrorLast(err: unknown): string | null {
  return err instanceof Error && err.message.startsWith('TAIL ') ? err.message.slice(5).trim() : null;
}
