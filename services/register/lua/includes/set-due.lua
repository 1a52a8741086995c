-- The due write of the daily re-evaluation's index (included by due-set.lua and commit.lua): sets the client's
-- next day in the slice's sorted set unless a newer version of the client wrote there already, so two
-- instances that changed one client may write in either order.
-- due: sorted set (client id -> YYYYMMDD)   versions: hash client id -> version of the last write
-- day: YYYYMMDD, or '' (the client leaves the index)   Returns 1 when written, 0 for an older version.
local function setDue(due, versions, client, version, day)
  local last = tonumber(redis.call('HGET', versions, client) or '-1')
  if version < last then
    return 0
  end
  redis.call('HSET', versions, client, version)
  if day == '' then
    redis.call('ZREM', due, client)
  else
    redis.call('ZADD', due, day, client)
  end
  return 1
end
