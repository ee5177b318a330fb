import { processRssMiB } from './machine.ts';

export interface RssSample {
  /** Seconds since the sampler started. */
  at: number;
  rssMiB: number;
  /** The scenario running when the sample was taken. */
  scenario: string;
}

/**
 * Samples a process' resident memory every `intervalMs` for the whole run:
 * the peak, the peak per scenario, and the curve (kept in the JSON report).
 */
export class RssSampler {
  readonly samples: RssSample[] = [];
  readonly #pid: number;
  readonly #started = performance.now();
  readonly #timer: NodeJS.Timeout;
  scenario = 'start-up';

  constructor(pid: number, intervalMs = 500) {
    this.#pid = pid;
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#sample();
  }

  peak(scenario?: string): number {
    let peak = Number.NaN;
    for (const sample of this.samples) {
      if (scenario !== undefined && sample.scenario !== scenario) continue;
      if (!(sample.rssMiB <= peak)) peak = sample.rssMiB;
    }
    return peak;
  }

  /** Peak per scenario, in the order they ran. */
  peaks(): { scenario: string; peakMiB: number; lastMiB: number }[] {
    const out: { scenario: string; peakMiB: number; lastMiB: number }[] = [];
    for (const sample of this.samples) {
      const last = out.at(-1);
      if (last?.scenario === sample.scenario) {
        last.peakMiB = Math.max(last.peakMiB, sample.rssMiB);
        last.lastMiB = sample.rssMiB;
      } else {
        out.push({ scenario: sample.scenario, peakMiB: sample.rssMiB, lastMiB: sample.rssMiB });
      }
    }
    return out;
  }

  #sample(): void {
    const rssMiB = processRssMiB(this.#pid);
    if (Number.isFinite(rssMiB)) {
      this.samples.push({ at: (performance.now() - this.#started) / 1000, rssMiB, scenario: this.scenario });
    }
  }
}
