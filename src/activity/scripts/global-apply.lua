-- On a Redis Cluster: writes the game-wide numbers that per-player scripts
-- noted (lib/global.lua, global_reply), in the online set's slot, folded by
-- (date, field): one command per day's counter, one PFADD per day.
-- Keys: online (for the slot only). Arguments: notes, a JSON array of
-- date, field, amount triples (strings); the global_* ones are constants.
-- Returns how many were noted.
local notes = json_decode(A.notes)
apply_global_notes(notes)
return #notes / 3
