export interface Figure {
  value: number;
  unit: string;
  /** What was measured under which load: data size, durability settings, machine. */
  conditions: string;
}
export type Figures = Record<string, Figure>;
export type Bench = () => Promise<Figures>;

/** Percentile of already collected samples (nearest-rank). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const round = (x: number, digits = 3) => Number(x.toFixed(digits));
