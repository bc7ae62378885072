/**
 * bindingMembers: which members of a binding an expression reads by a fixed name, so that a
 * validator can tell which states a handler's expression reads.
 */
import { describe, expect, test } from 'vitest';
import { bindingMembers } from '../../core/expr/index.ts';

describe('bindingMembers', () => {
  test.each([
    ['state.a + len(state["b"])', ['a', 'b'], false],
    ['state?.a || 0', ['a'], false],
    ['{x: state.c.d, y: [state.e]}', ['c', 'e'], false],
    ['v > 1 ? state.f : state.g', ['f', 'g'], false],
    ['keys(state)', [], true],
    ['state[k]', [], true],
    ['{state}', [], true],
    ['other.state + stateful', [], false],
    ['!(state.h == 1) && -state.i < 0', ['h', 'i'], false],
  ])('%s', (source, members, whole) => {
    const found = bindingMembers(source, 'state');
    expect(found.members.sort()).toEqual([...members].sort());
    expect(found.whole).toBe(whole);
  });
});
