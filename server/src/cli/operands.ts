import { expandOperands, PatternError, type ExpandOptions, type Expansion } from '../node/files.ts';
import { UsageError } from './io.ts';

/** The templates named on a command line (lint, preview, demo); a glob that is not one is a usage error. */
export function templateOperands(operands: string[], cwd: string, options: ExpandOptions = {}): Expansion {
  try {
    return expandOperands(operands, cwd, options);
  } catch (e) {
    if (e instanceof PatternError) throw new UsageError(e.message);
    throw e;
  }
}
