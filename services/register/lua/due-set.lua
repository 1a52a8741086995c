-- The daily re-evaluation's index of one slice: the day a client must be evaluated again. Written after each
-- commit of the client; a write for an older version of the client's state than the last one is ignored, so
-- two instances that changed one client may write here in either order. Both keys carry the slice's hash tag.
-- KEYS[1] due sorted set (client id -> YYYYMMDD)   KEYS[2] hash client id -> version of the last write
-- ARGV[1] client id   ARGV[2] version   ARGV[3] YYYYMMDD ('' = none: the client leaves the index)
--- @include "set-due"
return setDue(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]), ARGV[3])
