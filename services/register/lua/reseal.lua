-- Rewrites one client's state and outbox values sealed again with the current register key (samenloop
-- register rotate-keys), if nobody committed since they were read: the version is unchanged, and an outbox
-- entry acked meanwhile is not brought back. The plaintext is the same, so the version stays as it is.
-- Both keys carry the client's hash tag, so they live in one Redis Cluster slot.
-- KEYS[1] state hash {v, s}   KEYS[2] outbox hash (position -> outputs)
-- ARGV[1] version read   ARGV[2] state resealed ('' = as it is)   ARGV[3..] pairs: position, outputs resealed
local current = redis.call('HGET', KEYS[1], 'v')
if current == false or tonumber(current) ~= tonumber(ARGV[1]) then
  return 0
end
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 's', ARGV[2])
end
for i = 3, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
return 1
