import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import { InvalidInputError } from './errors.ts';

/**
 * Client event ids: chosen by the caller (a UUID, say) so that a retried
 * call is applied once. Remembered per player for EVENT_ID_TTL_SECONDS by
 * the tracking scripts (scripts/lib/event-ids.lua), with a fingerprint of
 * the call's payload: the same id with the same payload is a repeat (the
 * first answer comes back, nothing is applied), with another payload a
 * mistake (EventIdReusedError, nothing written).
 */

export const EVENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** What the scripts get for a call that carries an id. */
export interface EventIdCall {
  id: string;
  fingerprint: string;
}

export type TrackedOperation = 'login' | 'logout' | 'heartbeat' | 'activity';

/** undefined / null: the call has no id (it behaves as before ids existed). */
export function checkEventId(eventId: string | null | undefined, field = 'eventId'): string | undefined {
  if (eventId === undefined || eventId === null) return undefined;
  if (typeof eventId !== 'string' || !EVENT_ID_PATTERN.test(eventId)) {
    throw new InvalidInputError(field, `eventId must be 1 to 64 characters of A-Z a-z 0-9 . _ : -`);
  }
  return eventId;
}

/**
 * The payload's identity: the operation, and for an activity its type and
 * details (key order ignored: {"a":1,"b":2} and {"b":2,"a":1} are one
 * payload). 96 bits of SHA-256 keep a remembered id small; two payloads of
 * one id colliding is a 2^-96 chance.
 */
export function payloadFingerprint(operation: TrackedOperation, eventType = '', details: unknown = {}): string {
  return createHash('sha256')
    .update(stringify([operation, eventType, details]) ?? '')
    .digest('base64url')
    .slice(0, 16);
}

export function eventIdCall(
  eventId: string | undefined,
  operation: TrackedOperation,
  eventType?: string,
  details?: unknown,
): EventIdCall | undefined {
  return eventId === undefined
    ? undefined
    : { id: eventId, fingerprint: payloadFingerprint(operation, eventType, details) };
}
