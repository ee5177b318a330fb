-- Reaps one online-set member, re-checking everything atomically so that
-- several instances reaping at once never complete a session twice:
-- - no session (expired): the member is a ghost and leaves the set;
-- - idle longer than the timeout (no activity and no heartbeat): the session
--   is completed as a logout ending at its last activity (reason "idle").
-- Own ARGV: the idle timeout in microseconds.
-- Returns 'ghost', 'reaped' or false (left alone).
check_key_types()
local idle_timeout_us = tonumber(ARGV[FIRST_OWN_ARG])

local raw = redis.call('GET', cfg.session_key)
if not raw then
  if not cfg.online_key then return 'ghost' end -- the store removes it (cluster)
  if leave_online_set(cfg) == 1 then return 'ghost' end
  return false
end

local session = read_session(raw, cfg.player_id)
if not session then return false end -- unreadable: leave it to its TTL
local last_activity_us, end_ts, end_date = parse_ts(session.last_activity_at)
if not last_activity_us then return false end
local idle_since = math.max(last_activity_us, parse_ts(session.last_seen_at) or 0)
if cfg.now_us - idle_since <= idle_timeout_us then return false end

complete_session(cfg, session, last_activity_us, end_ts, end_date, 'idle', false)
return 'reaped'
