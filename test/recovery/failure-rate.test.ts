import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { FailureRateRestartBackoffTimeStrategy, RestartStrategyConfigError } from '../../core/recovery/index.ts';

const failureRate = (maxFailures: number, intervalMs: number, delayMs = 0) =>
  new FailureRateRestartBackoffTimeStrategy({ type: 'failure-rate', maxFailures, intervalMs, delayMs });

describe('FailureRateRestartBackoffTimeStrategy (as FailureRateRestartBackoffTimeStrategyTest)', () => {
  it('keeps restarting when failures are spaced more than the interval apart', () => {
    const s = failureRate(1, 1);
    let now = 0;
    for (let i = 0; i < 3; i++) {
      s.notifyFailure(now);
      expect(s.canRestart()).toBe(true);
      now += 1 + 1;
    }
    expect(s.canRestart()).toBe(true);
  });

  it('tolerates maxFailures failures in the interval and suppresses recovery on one more', () => {
    const s = failureRate(3, 10_000);
    for (let i = 0; i < 3; i++) {
      s.notifyFailure(0);
      expect(s.canRestart()).toBe(true);
    }
    s.notifyFailure(0);
    expect(s.canRestart()).toBe(false);
  });

  it('the interval includes both ends: maxFailures + 1 failures exactly intervalMs apart fail the job', () => {
    const atBoundary = failureRate(2, 1000);
    atBoundary.notifyFailure(0);
    atBoundary.notifyFailure(500);
    atBoundary.notifyFailure(1000);
    expect(atBoundary.canRestart()).toBe(false);

    const justOutside = failureRate(2, 1000);
    justOutside.notifyFailure(0);
    justOutside.notifyFailure(500);
    justOutside.notifyFailure(1001);
    expect(justOutside.canRestart()).toBe(true);
  });

  it('forgets old failures: only the latest maxFailures + 1 are compared', () => {
    const s = failureRate(2, 1000);
    for (const t of [0, 10, 20]) s.notifyFailure(t);
    expect(s.canRestart()).toBe(false);
    // A burst long ago does not count against a failure much later.
    s.notifyFailure(5000);
    expect(s.canRestart()).toBe(true);
    s.notifyFailure(5100);
    expect(s.canRestart()).toBe(true); // 20, 5000, 5100: 5080 ms apart
    s.notifyFailure(5200);
    expect(s.canRestart()).toBe(false); // 5000, 5100, 5200
  });

  it('the backoff is the fixed delay', () => {
    const s = failureRate(1, 1, 10_000);
    expect(s.getBackoffTime()).toBe(10_000);
    expect(s.notifyFailure(3)).toBe(true);
    expect(s.getBackoffTime()).toBe(10_000);
  });

  it('describes itself and rejects options Flink rejects', () => {
    expect(failureRate(3, 60_000, 1000).describe()).toBe('failure-rate (3 failures per 60000 ms, 1000 ms)');
    expect(() => failureRate(0, 1000)).toThrow(RestartStrategyConfigError);
    expect(() => failureRate(1, 0)).toThrow(RestartStrategyConfigError);
    expect(() => failureRate(1, 1000, -5)).toThrow(RestartStrategyConfigError);
  });

  // Model: recovery is suppressed iff more than maxFailures of all failures so far lie in the
  // closed window [now - intervalMs, now], now being the latest failure.
  fcTest.prop([fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 200 }), fc.array(fc.nat(150), { maxLength: 40 })])(
    'matches the sliding-window model',
    (maxFailures, intervalMs, gaps) => {
      const s = failureRate(maxFailures, intervalMs);
      const times: number[] = [];
      let now = 0;
      for (const gap of gaps) {
        now += gap;
        times.push(now);
        s.notifyFailure(now);
        const inWindow = times.filter((t) => t >= now - intervalMs).length;
        expect(s.canRestart()).toBe(inWindow <= maxFailures);
      }
    },
  );
});
