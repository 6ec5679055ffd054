import type { Bench } from './types';

/** Every benchmark by the name given to `npm run bench -- <name>`. */
export const benches: Record<string, Bench> = {};
benches.terminal = (await import('./terminal')).terminalBench;
benches.sync = (await import('./sync')).syncBench;
benches.backoffice = (await import('./backoffice')).backofficeBench;
