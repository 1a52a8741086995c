-- Writes one client's register state if nobody else changed it since it was read (optimistic
-- concurrency), and keeps the outputs of that change in the client's outbox until they are acked.
-- Both keys carry the client's hash tag, so they live in one Redis Cluster slot.
-- KEYS[1] state hash {v, s}   KEYS[2] outbox hash (position -> outputs JSON)
-- ARGV[1] expected version    ARGV[2] state JSON   ARGV[3] input position   ARGV[4] outputs JSON ('' = none)
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'v', current + 1, 's', ARGV[2])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
end
return 1
