-- Client event ids (A.event_id, absent when the call has none): per player, a
-- hash K.event_ids maps each remembered id to "<first_us>|<fingerprint>|<reply>"
-- and a list K.event_id_order holds the ids oldest first, so the window
-- (A.event_id_ttl seconds) and the cap (A.event_id_cap ids) are trimmed from
-- its head. Redis 7.0 has no per-field hash TTL; both keys also expire
-- A.event_id_ttl after the player's last id, so an idle player's ids go whole.
-- A.event_fp is the fingerprint of the call's payload (operation, event type,
-- details), worked out in Node.

-- A stored record read back as the first call's {first_us, reply,
-- fingerprint} (what repeated_reply takes); nil when absent, unreadable or
-- outside the window (not yet trimmed: the id is new again).
local function recalled_id(record)
  if not record then return nil end
  local first_us, fingerprint, reply = match(record, '^(%d+)|([^|]*)|(.*)$')
  if not first_us or A.now_us - tonumber(first_us) > A.event_id_ttl * 1000000 then return nil end
  return {first_us, reply, fingerprint}
end

-- Looks the call's id up before anything is written. Returns nil when the id
-- is new (or has none), the first call's {first_us, reply, …} when this call
-- repeats it with the same payload; fails the script (nothing written) when
-- the id was used with another payload.
local function remembered_call()
  if not A.event_id then return nil end
  -- both fail on a key of the wrong type, before anything is written
  redis_call('LLEN', K.event_id_order)
  local first = recalled_id(redis_call('HGET', K.event_ids, A.event_id))
  if not first then return nil end
  if first[3] ~= A.event_fp then
    return error({err = 'EVENTIDREUSED event id ' .. A.event_id .. ' was already used with another payload'})
  end
  return first
end

-- Trims the oldest of the `count` ids in the order list past the window or
-- over the cap, then expires both keys A.event_id_ttl from now.
local function trim_ids(ids_key, order_key, count)
  local oldest_kept_us = A.now_us - A.event_id_ttl * 1000000
  while count > 0 do
    local id = redis_call('LINDEX', order_key, 0)
    local record = redis_call('HGET', ids_key, id)
    local first_us = record and tonumber(match(record, '^(%d+)|'))
    if count <= A.event_id_cap and first_us and first_us >= oldest_kept_us then break end
    redis_call('LPOP', order_key)
    count = count - 1
    if record then redis_call('HDEL', ids_key, id) end
  end
  redis_call('EXPIRE', ids_key, A.event_id_ttl)
  redis_call('EXPIRE', order_key, A.event_id_ttl)
end

-- Remembers the call's id with its reply (false: ''), then trims the oldest
-- ids past the window or over the cap. No-op without an id.
local function remember_call(reply)
  if not A.event_id then return end
  local record = format('%d', A.now_us) .. '|' .. A.event_fp .. '|' .. (reply or '')
  if redis_call('HSET', K.event_ids, A.event_id, record) == 0 then
    -- an id back after its window, not yet trimmed: its old place goes (rare, O(ids))
    redis_call('LREM', K.event_id_order, 1, A.event_id)
  end
  trim_ids(K.event_ids, K.event_id_order, redis_call('RPUSH', K.event_id_order, A.event_id))
end

-- The reply of a repeated call: its first call's reply, with whether the
-- caller should redo the online-set change that follows the script on a
-- Cluster (the first call may have failed before doing it).
local function repeated_reply(first, redo_online)
  return {'duplicate', first[1], first[2], redo_online and '1' or '0'}
end

-- Batches (activities.lua): one player's many ids at once, with the same
-- rules (their records looked up with HMGET and read with recalled_id).
-- Remembers `ids` (new, in order) with their `records` in one HSET and one
-- RPUSH (`stale`: those of them whose old record was still stored lose
-- their old place), then trims and expires them (trim_ids).
local function remember_ids(ids_key, order_key, ids, records, stale)
  local fields = {}
  for i = 1, #ids do
    fields[#fields + 1] = ids[i]
    fields[#fields + 1] = records[i]
  end
  redis_call('HSET', ids_key, unpack(fields))
  for i = 1, #stale do redis_call('LREM', order_key, 1, stale[i]) end
  trim_ids(ids_key, order_key, redis_call('RPUSH', order_key, unpack(ids)))
end
