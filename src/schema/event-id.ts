/** The eventId argument of every tracking mutation and of ActivityInput (checked by the store: activity/event-ids.ts). */
export const EVENT_ID_DESCRIPTION =
  'Optional id chosen by the caller for this call (1–64 characters of A-Z a-z 0-9 . _ : -, e.g. a UUID), remembered per player for EVENT_ID_TTL_SECONDS (24 h by default): a retry with the same id and payload applies nothing and answers what the first call answered; the same id with another payload is refused with EVENT_ID_REUSED. Without it the call is applied every time it is sent.';
