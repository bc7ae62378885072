import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import {
  EXPONENTIAL_DELAY_DEFAULTS,
  ExponentialDelayRestartBackoffTimeStrategy,
  FailureRateRestartBackoffTimeStrategy,
  FixedDelayRestartBackoffTimeStrategy,
  NoRestartBackoffTimeStrategy,
  RestartStrategyConfigError,
  createRestartStrategy,
  resolveRestartStrategySpec,
} from '../../core/recovery/index.ts';
import { RandomStreams } from '../../core/kernel/index.ts';

const random = () => new RandomStreams(11).stream('restart-strategy');

describe('createRestartStrategy (as RestartBackoffTimeStrategyFactoryLoaderTest)', () => {
  it("Flink's defaults are the documented RestartStrategyOptions values", () => {
    expect(EXPONENTIAL_DELAY_DEFAULTS).toEqual({
      type: 'exponential-delay',
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      multiplier: 1.5,
      resetThresholdMs: 3_600_000,
      jitter: 0.1,
      attemptsBeforeReset: null,
    });
    expect(Object.isFrozen(EXPONENTIAL_DELAY_DEFAULTS)).toBe(true);
  });

  it('no strategy with checkpointing on: exponential-delay with the default options', () => {
    for (const spec of [null, { type: 'fallback' } as const]) {
      const s = createRestartStrategy(spec, true, random());
      expect(s).toBeInstanceOf(ExponentialDelayRestartBackoffTimeStrategy);
      expect(s.describe()).toBe(new ExponentialDelayRestartBackoffTimeStrategy(EXPONENTIAL_DELAY_DEFAULTS, random()).describe());
      expect(s.notifyFailure(0)).toBe(true);
      expect(s.canRestart()).toBe(true);
      const backoff = s.getBackoffTime();
      expect(backoff).toBeGreaterThanOrEqual(1000); // 1000 - 100 clamps up to initial
      expect(backoff).toBeLessThanOrEqual(1100);
      expect(resolveRestartStrategySpec(spec, true)).toBe(EXPONENTIAL_DELAY_DEFAULTS);
    }
  });

  it('no strategy with checkpointing off: no restart', () => {
    for (const spec of [null, { type: 'fallback' } as const]) {
      const s = createRestartStrategy(spec, false, random());
      expect(s).toBeInstanceOf(NoRestartBackoffTimeStrategy);
      s.notifyFailure(0);
      expect(s.canRestart()).toBe(false);
      expect(resolveRestartStrategySpec(spec, false)).toEqual({ type: 'none' });
    }
  });

  it("the job's own strategy wins, whether checkpointing is on or off", () => {
    for (const checkpointing of [true, false]) {
      expect(createRestartStrategy({ type: 'fixed-delay', attempts: 1, delayMs: 1000 }, checkpointing, random())).toBeInstanceOf(FixedDelayRestartBackoffTimeStrategy);
      expect(createRestartStrategy({ type: 'failure-rate', maxFailures: 1, intervalMs: 1000, delayMs: 1000 }, checkpointing, random())).toBeInstanceOf(
        FailureRateRestartBackoffTimeStrategy,
      );
      const exponential = createRestartStrategy(
        { type: 'exponential-delay', initialBackoffMs: 1, maxBackoffMs: 1000, multiplier: 1.1, resetThresholdMs: 2000, jitter: 0, attemptsBeforeReset: null },
        checkpointing,
        random(),
      );
      expect(exponential).toBeInstanceOf(ExponentialDelayRestartBackoffTimeStrategy);
      expect(exponential.describe()).toMatch(/^exponential-delay \(initial 1 ms, max 1000 ms, multiplier 1.1,/);
      expect(createRestartStrategy({ type: 'none' }, checkpointing, random())).toBeInstanceOf(NoRestartBackoffTimeStrategy);
    }
  });

  it('invalid options fail when the strategy is built', () => {
    expect(() => createRestartStrategy({ type: 'fixed-delay', attempts: -1, delayMs: 0 }, true, random())).toThrow(RestartStrategyConfigError);
    expect(() => createRestartStrategy({ type: 'failure-rate', maxFailures: 0, intervalMs: 1, delayMs: 0 }, true, random())).toThrow(RestartStrategyConfigError);
    expect(() => createRestartStrategy({ ...EXPONENTIAL_DELAY_DEFAULTS, multiplier: 0.5 }, true, random())).toThrow(RestartStrategyConfigError);
  });

  it('only exponential-delay draws from the random stream', () => {
    const stream = random();
    createRestartStrategy({ type: 'fixed-delay', attempts: 3, delayMs: 10 }, true, stream).notifyFailure(0);
    createRestartStrategy({ type: 'failure-rate', maxFailures: 3, intervalMs: 10, delayMs: 10 }, true, stream).notifyFailure(0);
    createRestartStrategy({ type: 'none' }, true, stream).notifyFailure(0);
    expect(stream.draws).toBe(0);
    createRestartStrategy(null, true, stream).notifyFailure(0);
    expect(stream.draws).toBe(1);
  });
});

describe('NoRestartBackoffTimeStrategy', () => {
  fcTest.prop([fc.array(fc.nat(1000), { maxLength: 20 })])('never restarts; every failure is new; backoff 0', (gaps) => {
    const s = new NoRestartBackoffTimeStrategy();
    let now = 0;
    for (const gap of gaps) {
      now += gap;
      expect(s.notifyFailure(now)).toBe(true);
      expect(s.canRestart()).toBe(false);
      expect(s.getBackoffTime()).toBe(0);
    }
    expect(s.describe()).toBe('none (no restarts)');
  });
});
