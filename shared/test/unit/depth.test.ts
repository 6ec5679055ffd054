/** Depth of received JSON, measured and cut without recursion (a 50,000-deep message must not overflow). */
import { describe, expect, it } from 'vitest';
import { jsonCut, nestedDeeperThan } from '../../src/wire/depth';

const deep = (n: number) => JSON.parse(`${'['.repeat(n)}1${']'.repeat(n)}`) as unknown;

describe('nestedDeeperThan', () => {
  it.each([
    ['scalar', 1, 0, false],
    ['null', null, 0, false],
    ['flat object', { a: 1, b: 'x' }, 1, false],
    ['flat object, max 0', { a: 1 }, 0, true],
    ['object in array', [{ a: 1 }], 2, false],
    ['object in array, max 1', [{ a: 1 }], 1, true],
    ['empty containers count', { a: { b: {} } }, 2, true],
    ['deep sibling after a shallow one', { a: 1, b: { c: { d: [1] } } }, 3, true],
  ])('%s', (_name, value, max, expected) => {
    expect(nestedDeeperThan(value, max)).toBe(expected);
  });

  it('walks a value nested 50,000 deep without overflowing', () => {
    expect(nestedDeeperThan(deep(50_000), 16)).toBe(true);
    expect(nestedDeeperThan(deep(16), 16)).toBe(false);
    expect(nestedDeeperThan(deep(17), 16)).toBe(true);
  });
});

describe('jsonCut', () => {
  it('keeps what is within the depth and marks what is cut', () => {
    expect(jsonCut({ a: { b: { c: 1 } }, d: [1, [2]] }, 2)).toBe('{"a":{"b":"[nested deeper than 2]"},"d":[1,"[nested deeper than 2]"]}');
    expect(jsonCut('x', 0)).toBe('"x"');
    expect(jsonCut(undefined, 3)).toBe('null');
  });
});
