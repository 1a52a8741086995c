-- The daily re-evaluation's index of one slice: the day a client must be evaluated again. Written after each
-- commit of the client; a write for an older version of the client's state than the last one is ignored, so
-- two instances that changed one client may write here in either order. Both keys carry the slice's hash tag.
-- KEYS[1] due sorted set (client id -> YYYYMMDD)   KEYS[2] hash client id -> version of the last write
-- ARGV[1] client id   ARGV[2] version   ARGV[3] YYYYMMDD ('' = none: the client leaves the index)
local last = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
if tonumber(ARGV[2]) < last then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
return 1
