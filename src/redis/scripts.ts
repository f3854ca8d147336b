// The three Lua scripts behind the Redis notification store: each reads and writes one key atomically on the server.

/**
 * claim(KEYS[1], ARGV[1] = token, ARGV[2] = processingTtlMs)
 * `SET key processing:<token> NX PX ttl`; when the key already exists, its value decides the answer. Run as one
 * script so "is it done or in progress?" is read in the same atomic step as the failed SET (no window where the
 * claimer completes between our SET and our GET).
 * Returns 'claimed' | 'done' | 'busy', or 'unknown' when the key holds a value this store never writes.
 */
export const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], 'processing:' .. ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 'claimed'
end
local v = redis.call('GET', KEYS[1])
if v == 'done' then return 'done' end
if v and string.sub(v, 1, 11) == 'processing:' then return 'busy' end
return 'unknown'
`;

/**
 * complete(KEYS[1], ARGV[1] = token, ARGV[2] = doneTtlMs)
 * Marks the key `done` for doneTtlMs when it still holds our claim. Also when the key is gone (our claim expired
 * while the callback ran and nobody claimed it since): the callback did succeed, so remembering that prevents a
 * second run. Never overwrites another delivery's claim (it took over after our claim expired; it will complete
 * or release it itself), and leaves an existing `done` as it is.
 * Returns 1 when it wrote `done`, 0 when the key is already done, -1 when another token holds it.
 */
export const COMPLETE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v == ('processing:' .. ARGV[1]) or v == false then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
if v == 'done' then return 0 end
return -1
`;

/**
 * release(KEYS[1], ARGV[1] = token)
 * Compare-and-delete: drops the claim only when it is still ours, so a slow failing delivery cannot delete the
 * claim of a delivery that took over after its claim expired. Returns 1 when deleted, 0 otherwise.
 */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ('processing:' .. ARGV[1]) then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
