import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What stays the same across restarts of one cluster: its node subnet and node count. */
export interface NetworkState {
  readonly subnet?: string;
  readonly nodes: number;
}

const file = (home: string): string => join(home, 'network.json');

export function readNetworkState(home: string): NetworkState | undefined {
  try {
    const s = JSON.parse(readFileSync(file(home), 'utf8')) as NetworkState;
    return Number.isInteger(s.nodes) ? s : undefined;
  } catch {
    return undefined;
  }
}

export function writeNetworkState(home: string, state: NetworkState): void {
  writeFileSync(file(home), JSON.stringify(state, null, 2) + '\n');
}
