-- Extends the rebuild lock while its owner is still rebuilding (a crashed owner stops renewing, so the lock
-- expires within one TTL and another instance rebuilds).
-- KEYS[1] the lock   ARGV[1] owner   ARGV[2] TTL in ms
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
