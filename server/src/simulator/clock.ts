/** Where the parts of the simulator read the time (the Simulator's now(), which tests may replace). */
export interface Now {
  now(): number;
}

/**
 * The simulator's clock: real time plus an offset the control API moves (POST /_sim/clock), or
 * frozen at one instant that only advance() moves (exact window edges in tests). Reply windows,
 * token and media expiry all read it.
 */
export class SimClock {
  private offset = 0;
  private frozenAt: number | undefined;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  /** How far the clock stands from real time (ms). */
  get offsetMs(): number {
    return this.frozenAt !== undefined ? this.frozenAt - Date.now() : this.offset;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
  }

  /** Stops (true) or restarts (false) the clock; it resumes from where it stood. */
  freeze(freeze: boolean): void {
    if (freeze && this.frozenAt === undefined) this.frozenAt = this.now();
    if (!freeze && this.frozenAt !== undefined) {
      this.offset = this.frozenAt - Date.now();
      this.frozenAt = undefined;
    }
  }

  /** Back to real time, running. */
  reset(): void {
    this.offset = 0;
    this.frozenAt = undefined;
  }
}
