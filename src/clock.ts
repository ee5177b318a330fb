/** The one source of "now" for the service; tests pass a clock they control. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};
