-- Writes one client's register state if nobody else changed it since it was read (optimistic
-- concurrency), and keeps the outputs of that change in the client's outbox until they are acked.
-- The state and outbox keys carry the client's hash tag, so they live in one Redis Cluster slot.
-- KEYS[1] state hash {v, s}   KEYS[2] outbox hash (position -> outputs JSON)
-- ARGV[1] expected version    ARGV[2] state JSON   ARGV[3] input position   ARGV[4] outputs JSON ('' = none)
-- ARGV[5] '1': hold for another partition's outputs (below); '0': not
-- Returns 1 (written), 0 (a version conflict) or, writing nothing, the position of an outbox entry of another
-- input partition when this commit has outputs and ARGV[5] is '1': theirs must reach Kafka before these
-- (store.ts CommitHeld). A position is topic/partition/offset; a topic name has no '/'.
--
-- On one Redis (not a cluster: these keys are in other slots) the commit's effects come along, so a record
-- makes one round trip and a commit is never without its indexes (RegisterStore.commit's `effects`):
-- ARGV[6] client id   ARGV[7] YYYYMMDD of its next daily re-evaluation ('' = none, '-' = no daily index)
-- ARGV[8] number of gemeente sets   KEYS[3], KEYS[4] the slice's due sorted set and versions hash (unless
-- ARGV[7] is '-'), then the gemeente sets (SADD the client), then the beëindiging keys (SET to the client).
-- The due write is due-set.lua's (includes/set-due.lua), for the new version.
--- @include "set-due"
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then
  return 0
end
if ARGV[4] ~= '' and ARGV[5] == '1' and redis.call('HLEN', KEYS[2]) > 0 then
  local mine = string.match(ARGV[3], '^(.*)/')
  for _, position in ipairs(redis.call('HKEYS', KEYS[2])) do
    if string.match(position, '^(.*)/') ~= mine then
      return position
    end
  end
end
redis.call('HSET', KEYS[1], 'v', current + 1, 's', ARGV[2])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
end
if ARGV[6] == nil then
  return 1
end
local client = ARGV[6]
local k = 3
if ARGV[7] ~= '-' then
  k = 5
  setDue(KEYS[3], KEYS[4], client, current + 1, ARGV[7])
end
local gemeenten = tonumber(ARGV[8])
for i = k, k + gemeenten - 1 do
  redis.call('SADD', KEYS[i], client)
end
for i = k + gemeenten, #KEYS do
  redis.call('SET', KEYS[i], client)
end
return 1
