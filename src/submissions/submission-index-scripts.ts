// Lua run inside Redis so that each change of the index is atomic. Tag sets (episodes, e-mail
// hashes) are named from the hash's own fields, so those scripts address keys they are not passed:
// fine on one Redis (which BullMQ needs anyway), not on Redis Cluster.

/**
 * Moves the id into exactly the state sets that match its hash fields. Members all score 0 so sets
 * order by id (ULIDs sort by time): pages are ZRANGE BYLEX, O(log n + page).
 */
export const SET_STATE_SCRIPT = `
local id = ARGV[1]
local create = ARGV[2] == '1'
if not create and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
local p = redis.call('HGET', KEYS[1], 'processing')
local r = redis.call('HGET', KEYS[1], 'review')
local pStates = cjson.decode(ARGV[3])
local rStates = cjson.decode(ARGV[4])
for i = 3, #KEYS do redis.call('ZREM', KEYS[i], id) end
redis.call('ZADD', KEYS[2], 0, id)
for pi, ps in ipairs(pStates) do
  if ps == p then
    redis.call('ZADD', KEYS[2 + pi], 0, id)
    for ri, rs in ipairs(rStates) do
      if rs == r then
        redis.call('ZADD', KEYS[2 + #pStates + ri], 0, id)
        redis.call('ZADD', KEYS[2 + #pStates + #rStates + (pi - 1) * #rStates + ri], 0, id)
      end
    end
  end
end
return 1
`;

/** Sets starred and the episode tag, moving the id between the starred and episode sets. */
export const SET_TAGS_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local id, episodePrefix, starred, episode = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local old = redis.call('HGET', KEYS[1], 'episode')
if old and old ~= episode then redis.call('ZREM', episodePrefix .. old, id) end
if episode ~= '' then
  redis.call('ZADD', episodePrefix .. episode, 0, id)
  redis.call('HSET', KEYS[1], 'episode', episode)
else
  redis.call('HDEL', KEYS[1], 'episode')
end
if starred == '1' then redis.call('ZADD', KEYS[2], 0, id) else redis.call('ZREM', KEYS[2], id) end
redis.call('HSET', KEYS[1], 'starred', starred)
return 1
`;

/** Removes the id from every set (state sets passed as KEYS[2..], tag sets read from the hash). */
export const REMOVE_SCRIPT = `
local id, episodePrefix = ARGV[1], ARGV[2]
local episode = redis.call('HGET', KEYS[1], 'episode')
if episode then redis.call('ZREM', episodePrefix .. episode, id) end
local emailKey = redis.call('HGET', KEYS[1], 'emailKey')
if emailKey then redis.call('ZREM', emailKey, id) end
for i = 2, #KEYS do redis.call('ZREM', KEYS[i], id) end
return redis.call('DEL', KEYS[1])
`;

/**
 * Walks one set newest first from a cursor and returns the ids whose hash passes the filters:
 * states, starred, folded topic, and words that must all occur in the folded texts (listener's
 * fields, team note, transcript). Runs in
 * Redis, at most `chunk` rows a call (about a millisecond per thousand), so a search with few hits
 * does not send every row to the API process.
 * ARGV: hash key prefix, after ('' = newest), chunk, want, processing, review, starred, topic, words (JSON)
 * Returns { matching ids, last id scanned, rows scanned }.
 */
export const FILTER_SCRIPT = `
local prefix, after, chunk, want = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local processing, review, starred, topic = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local words = cjson.decode(ARGV[9])
local max = after == '' and '+' or ('(' .. after)
local ids = redis.call('ZRANGE', KEYS[1], max, '-', 'BYLEX', 'REV', 'LIMIT', 0, chunk)
local found = {}
local last = ''
for _, id in ipairs(ids) do
  last = id
  local f = redis.call('HMGET', prefix .. id, 'processing', 'review', 'starred', 'topicKey', 'listenerText', 'teamNote', 'transcriptText')
  local ok = f[1] ~= false
  if ok and processing ~= '' and f[1] ~= processing then ok = false end
  if ok and review ~= '' and f[2] ~= review then ok = false end
  if ok and starred ~= '' and (f[3] or '0') ~= starred then ok = false end
  if ok and topic ~= '' and (f[4] or '') ~= topic then ok = false end
  if ok and #words > 0 then
    local text = (f[5] or '') .. '\\n' .. (f[6] or '') .. '\\n' .. (f[7] or '')
    for _, word in ipairs(words) do
      if not string.find(text, word, 1, true) then ok = false break end
    end
  end
  if ok then
    found[#found + 1] = id
    if #found >= want then break end
  end
end
return { found, last, #ids }
`;
