import type { Clock } from '../../src/clock.ts';

/** A clock the test sets by hand. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: string | Date = '2026-11-23T22:51:06.984Z') {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  set(moment: string | Date): void {
    this.#now = new Date(moment).getTime();
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
