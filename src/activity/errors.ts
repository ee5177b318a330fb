/** Input that breaks the contract; nothing was written. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** A client event id already used, within its window, by a call with another payload; nothing was written. */
export class EventIdReusedError extends Error {
  override name = 'EventIdReusedError';
  readonly field = 'eventId';
  readonly eventId: string;

  constructor(eventId: string) {
    super(
      `eventId ${eventId} was already used for another call of this player (another operation, event type or details)`,
    );
    this.eventId = eventId;
  }
}

/** Redis could not be reached or did not answer in time. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';

  constructor(cause: unknown) {
    super('The activity store is unavailable', { cause });
  }
}
