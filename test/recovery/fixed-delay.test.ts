import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { FixedDelayRestartBackoffTimeStrategy, RestartStrategyConfigError } from '../../core/recovery/index.ts';
import { SimulationAssertionError } from '../../core/kernel/index.ts';

const fixedDelay = (attempts: number, delayMs: number) => new FixedDelayRestartBackoffTimeStrategy({ type: 'fixed-delay', attempts, delayMs });

describe('FixedDelayRestartBackoffTimeStrategy (as FixedDelayRestartBackoffTimeStrategyTest)', () => {
  it('attempts = 3 allows exactly 3 restarts; the 4th failure suppresses recovery', () => {
    const s = fixedDelay(3, 0);
    for (let failure = 1; failure <= 3; failure++) {
      expect(s.notifyFailure(failure * 10)).toBe(true);
      // Asked twice: canRestart must not be what moves the counter.
      expect(s.canRestart()).toBe(true);
      expect(s.canRestart()).toBe(true);
    }
    expect(s.notifyFailure(40)).toBe(true);
    expect(s.canRestart()).toBe(false);
  });

  it('attempts = 0 never restarts', () => {
    const s = fixedDelay(0, 500);
    expect(s.canRestart()).toBe(true); // nothing has failed yet
    s.notifyFailure(0);
    expect(s.canRestart()).toBe(false);
  });

  it('the backoff is the fixed delay, before and after failures', () => {
    const s = fixedDelay(2, 10_000);
    expect(s.getBackoffTime()).toBe(10_000);
    s.notifyFailure(5);
    expect(s.getBackoffTime()).toBe(10_000);
  });

  it('failures at one instant each use an attempt, and time without failures never resets the count', () => {
    const s = fixedDelay(2, 100);
    expect(s.notifyFailure(7)).toBe(true);
    expect(s.notifyFailure(7)).toBe(true);
    expect(s.canRestart()).toBe(true);
    expect(s.notifyFailure(10_000_000)).toBe(true);
    expect(s.canRestart()).toBe(false);
  });

  it('describes itself for "Recovery is suppressed by ..."', () => {
    expect(fixedDelay(3, 1000).describe()).toBe('fixed-delay (3 attempts, 1000 ms)');
  });

  it('rejects options Flink rejects, and time going backwards', () => {
    expect(() => fixedDelay(-1, 0)).toThrow(RestartStrategyConfigError);
    expect(() => fixedDelay(1, -1)).toThrow(RestartStrategyConfigError);
    expect(() => fixedDelay(1.5, 0)).toThrow(/attempts/);
    const s = fixedDelay(5, 0);
    s.notifyFailure(100);
    expect(() => s.notifyFailure(99)).toThrow(SimulationAssertionError);
  });

  fcTest.prop([fc.nat(20), fc.nat(40), fc.nat(100_000)])('after k failures, canRestart is k <= attempts', (attempts, failures, delayMs) => {
    const s = fixedDelay(attempts, delayMs);
    for (let k = 1; k <= failures; k++) {
      s.notifyFailure(k);
      expect(s.canRestart()).toBe(k <= attempts);
      expect(s.getBackoffTime()).toBe(delayMs);
    }
  });
});
