/**
 * Nesting depth of received JSON values, measured without recursion: a message nested 50,000 deep must be
 * refused with a reason, not overflow the stack of whoever walks it (JSON.stringify, a schema, a logger).
 */

/** True when `value` has objects/arrays nested more than `max` levels (a scalar is depth 0). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** JSON text of `value` with anything below `maxDepth` replaced by a marker (to keep a refused message readable). */
export function jsonCut(value: unknown, maxDepth: number, marker = `[nested deeper than ${maxDepth}]`): string {
  const cut = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) return marker;
    if (Array.isArray(v)) return v.map((x) => cut(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = cut(x, depth + 1);
    return out;
  };
  return JSON.stringify(cut(value, 0)) ?? 'null';
}
