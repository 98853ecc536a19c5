import type { Now } from '../clock.ts';
import type { SimState } from '../state.ts';
import type { SimulatorOptions } from '../types.ts';

/** What a WeChat endpoint of the simulator works with. */
export interface ApiContext {
  readonly state: SimState;
  readonly clock: Now;
  readonly options: SimulatorOptions;
}

/** One API request, its body read (and capped) already. */
export interface ApiRequest {
  method: string;
  url: URL;
  /** The body as UTF-8 text (JSON routes). */
  text: string;
  /** The body's bytes (media/upload). */
  bytes: Buffer;
  contentType: string | undefined;
}
