/** Input that breaks the contract; nothing was written. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Redis could not be reached or did not answer in time. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';

  constructor(cause: unknown) {
    super('The activity store is unavailable', { cause });
  }
}
