-- Records one chunk of a batch's gameplay events: for each event what
-- activity.lua does, but each player's session read and decoded once,
-- bumped per event and SET once, its events pushed with one LPUSH, its ids
-- looked up with one HMGET and remembered together, and the game-wide
-- numbers folded over the chunk (lib/global.lua).
-- Keys: per player slot n, session_<n>, events_<n>, event_ids_<n> and
-- event_id_order_<n> (slots past the chunk's players repeat the first
-- player's keys and are not read); on a single server also online.
-- Own arguments: players, a JSON array of the slots' player ids; events, a
-- JSON array of [slot, event_type, details_json, trade_value ('' unless a
-- trade), is_combat ('1' or '0'), sector (''), event_id (''), event_fp ('')].
-- Returns one reply per event, in order:
--   the session JSON after that event, or '' when no session is open;
--   {'duplicate', first_us, reply, '0'} for a repeated id (repeated_reply);
--   {'reused'}: the id was used with another payload, nothing written for it;
--   {'failed', message}: a key of its player holds the wrong type (or a
--   value could not be stored), nothing written for any of that player's events.
local players = json_decode(A.players)
local events = json_decode(A.events)
local replies = {}
local timestamp_json = enc_plain(A.now_ts)
local first_us = format('%d', A.now_us)

-- A player's own failure (its keys or values), which fails its events only;
-- any other error fails the call.
local function own_failure(err)
  local message = type(err) == 'table' and err.err or tostring(err)
  if find(message, '^WRONGTYPE') or find(message, '^ERR activity:') then return message end
  return error(err)
end

local function checked(reply)
  if type(reply) == 'table' and reply.err then return error(reply) end
  return reply
end

-- Returns true when the session's sectors changed.
local function bump(session, event)
  session.actions_count = session.actions_count + 1
  session.last_activity_at = A.now_ts
  if event[4] ~= '' then
    session.trades_count = session.trades_count + 1
    session.trade_volume = session.trade_volume + tonumber(event[4])
  end
  if event[5] == '1' then session.combat_events = session.combat_events + 1 end
  return event[6] ~= '' and visit_sector(session, event[6])
end

-- Reads one player's keys and works out every reply and value to write;
-- writes nothing. The reads fail on a key of the wrong type.
local function plan_player(keys, indexes)
  local raw = checked(redis_pcall('GET', keys.session))
  local ids = {}
  for i = 1, #indexes do
    local id = events[indexes[i]][7]
    if id ~= '' then ids[#ids + 1] = id end
  end
  local stored = {}
  if #ids > 0 then
    checked(redis_pcall('LLEN', keys.event_id_order))
    local records = checked(redis_pcall('HMGET', keys.event_ids, unpack(ids)))
    for i = 1, #ids do stored[ids[i]] = records[i] end
  end
  local session = read_session(raw)
  -- the parts of its JSON that change seldom are encoded once (a session holds up to 100 sectors)
  local head, sectors_json, tail
  local plan = {
    replies = {}, pushed = {}, session = nil, ids = {}, records = {}, stale = {},
    actions = 0, trades = 0, trade_values = {}, combat = 0,
  }
  local seen = {}
  for i = 1, #indexes do
    local event = events[indexes[i]]
    local id, fingerprint = event[7], event[8]
    local first = nil
    if id ~= '' then first = seen[id] or recalled_id(stored[id]) end
    if first and first[3] ~= fingerprint then
      plan.replies[i] = {'reused'}
    elseif first then
      plan.replies[i] = repeated_reply(first, false)
    else
      local reply = ''
      if session then
        local sectors_changed = bump(session, event)
        if not head then
          head, tail = session_head(session), session_tail(session)
          sectors_json = enc_plain_str_array(session.sectors_visited)
        elseif sectors_changed then
          sectors_json = enc_plain_str_array(session.sectors_visited)
        end
        reply = encode_session_parts(head, session, sectors_json, tail)
        plan.session = reply
      end
      plan.pushed[#plan.pushed + 1] = encode_event_parts(event[2], timestamp_json, event[3], id ~= '' and id or nil)
      if id ~= '' then
        seen[id] = {first_us, reply, fingerprint}
        plan.ids[#plan.ids + 1] = id
        plan.records[#plan.records + 1] = first_us .. '|' .. fingerprint .. '|' .. reply
        if stored[id] then plan.stale[#plan.stale + 1] = id end
      end
      plan.actions = plan.actions + 1
      if event[4] ~= '' then
        plan.trades = plan.trades + 1
        plan.trade_values[#plan.trade_values + 1] = event[4]
      end
      if event[5] == '1' then plan.combat = plan.combat + 1 end
      plan.replies[i] = reply
    end
  end
  return plan
end

-- Writes a plan. The events go first: that LPUSH fails on a key of the
-- wrong type before anything is written (the others were read above).
local function write_player(keys, plan)
  if #plan.pushed == 0 then return end
  local length = checked(redis_pcall('LPUSH', keys.events, unpack(plan.pushed)))
  if length > A.max_events then redis_call('LTRIM', keys.events, 0, A.max_events - 1) end
  redis_call('EXPIRE', keys.events, A.events_ttl)
  if plan.session then redis_call('SET', keys.session, plan.session, 'EX', A.session_ttl) end
  if #plan.ids > 0 then remember_ids(keys.event_ids, keys.event_id_order, plan.ids, plan.records, plan.stale) end
end

local slots = {}
for i = 1, #events do
  local slot = events[i][1]
  if not slots[slot] then slots[slot] = {} end
  local indexes = slots[slot]
  indexes[#indexes + 1] = i
end

for slot = 1, #players do
  local indexes = slots[slot]
  if indexes then
    local n = tostring(slot)
    local keys = {
      session = K['session_' .. n], events = K['events_' .. n],
      event_ids = K['event_ids_' .. n], event_id_order = K['event_id_order_' .. n],
    }
    local ok, plan = pcall(plan_player, keys, indexes)
    local failed = not ok and own_failure(plan)
    if not failed then
      local written, err = pcall(write_player, keys, plan)
      failed = not written and own_failure(err)
    end
    if failed then
      for i = 1, #indexes do replies[indexes[i]] = {'failed', failed} end
    else
      for i = 1, #indexes do replies[indexes[i]] = plan.replies[i] end
      if plan.actions > 0 then
        global_add(A.now_date, 'actions', plan.actions)
        if plan.trades > 0 then
          global_add(A.now_date, 'trades', plan.trades)
          for i = 1, #plan.trade_values do global_add(A.now_date, 'trade_volume', plan.trade_values[i]) end
        end
        if plan.combat > 0 then global_add(A.now_date, 'combat_events', plan.combat) end
        global_seen(A.now_date, players[slot])
      end
    end
  end
end
return global_reply(replies)
