import * as path from 'node:path';
import { parseTemplate } from '../../../server/src/core/parser/document.ts';
import { fillVariables, mayHaveVariables, scanVariables, type VariableValue } from '../../../server/src/core/rules/variables.ts';
import { mergeVars, projectProfileVars, readVarsFile, varsFileFor } from '../../../server/src/node/varsFile.ts';

/**
 * Values known for a template before anything is asked: its `*.vars.json` (a file: URI only),
 * under the values given by automation. `error`: the vars file exists but cannot be used.
 */
export function knownVariables(fsPath: string | undefined, given: Record<string, string> = {}): { values: Map<string, VariableValue>; error?: string } {
  let fromFile: Map<string, VariableValue> | undefined;
  let error: string | undefined;
  if (fsPath) {
    const file = varsFileFor(fsPath);
    const read = readVarsFile(file, path.basename(file));
    if (read && 'error' in read) error = read.error;
    else fromFile = read?.values;
  }
  const profile = fsPath ? projectProfileVars(path.dirname(fsPath)) : {};
  if (profile.error) error ??= profile.error;
  const args = new Map(Object.entries(given).filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, { value: v, source: 'argument' }]));
  return { values: mergeVars(fromFile, profile.values, args), ...(error ? { error } : {}) };
}

/** Names still without a value (nor a default), in order of first use. */
export function missingVariables(text: string, values: ReadonlyMap<string, VariableValue>): string[] {
  if (!mayHaveVariables(text)) return [];
  const doc = parseTemplate(text);
  return fillVariables(doc, scanVariables(doc), values).missing;
}
