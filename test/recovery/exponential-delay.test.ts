import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { EXPONENTIAL_DELAY_DEFAULTS, ExponentialDelayRestartBackoffTimeStrategy, RestartStrategyConfigError, type ExponentialDelaySpec } from '../../core/recovery/index.ts';
import { RandomStreams, SimulationAssertionError, type RandomStream } from '../../core/kernel/index.ts';

const stream = (seed = 1): RandomStream => new RandomStreams(seed).stream('restart-strategy');

function exponential(options: Partial<ExponentialDelaySpec>, random: RandomStream = stream()): ExponentialDelayRestartBackoffTimeStrategy {
  return new ExponentialDelayRestartBackoffTimeStrategy({ ...EXPONENTIAL_DELAY_DEFAULTS, ...options }, random);
}

/** The distinct backoffs of `runs` fresh strategies that each see `failures` failures spaced `gapMs` apart. */
function backoffsSeen(options: Partial<ExponentialDelaySpec>, failures: number, gapMs: number, runs = 1000): number[] {
  const random = stream(7);
  const seen = new Set<number>();
  for (let run = 0; run < runs; run++) {
    const s = exponential(options, random);
    let now = 0;
    for (let i = 0; i < failures; i++) {
      now += gapMs;
      expect(s.notifyFailure(now)).toBe(true);
    }
    seen.add(s.getBackoffTime());
  }
  return [...seen].sort((a, b) => a - b);
}

describe('ExponentialDelayRestartBackoffTimeStrategy (as ExponentialDelayRestartBackoffTimeStrategyTest)', () => {
  it('attempts-before-reset = 13 allows 13 attempts; the 14th suppresses recovery', () => {
    const s = exponential({ initialBackoffMs: 1, maxBackoffMs: 3, multiplier: 1.2, resetThresholdMs: 10, jitter: 0.25, attemptsBeforeReset: 13 });
    let now = 0;
    for (let i = 0; i <= 13; i++) {
      expect(s.canRestart()).toBe(true);
      expect(s.notifyFailure(now)).toBe(true);
      now += 3 + 1;
    }
    expect(s.canRestart()).toBe(false);
  });

  it('getBackoffTime before any failure is an error', () => {
    const s = exponential({ initialBackoffMs: 42, maxBackoffMs: 45, multiplier: 2, resetThresholdMs: 8, jitter: 0 });
    expect(() => s.getBackoffTime()).toThrow(SimulationAssertionError);
  });

  it('the first backoff is the initial backoff', () => {
    const s = exponential({ initialBackoffMs: 42, maxBackoffMs: 45, multiplier: 2, resetThresholdMs: 8, jitter: 0 });
    s.notifyFailure(0);
    expect(s.getBackoffTime()).toBe(42);
  });

  it('the backoff never exceeds max-backoff, jitter included', () => {
    const s = exponential({ initialBackoffMs: 1, maxBackoffMs: 6, multiplier: 2, resetThresholdMs: 8, jitter: 0.25 });
    let now = 0;
    const backoffs: number[] = [];
    for (let i = 0; i < 10; i++) {
      expect(s.notifyFailure(now)).toBe(true);
      backoffs.push(s.getBackoffTime());
      now += s.getBackoffTime() + 1;
    }
    expect(Math.max(...backoffs)).toBe(6);
    expect(backoffs.slice(3)).toEqual([6, 6, 6, 6, 6, 6, 6]); // 8 ± 2 clamps to 6
  });

  it('resets to the initial backoff when a failure comes resetThresholdMs after the scheduled restart', () => {
    const s = exponential({ initialBackoffMs: 1, maxBackoffMs: 5, multiplier: 2, resetThresholdMs: 8, jitter: 0.25 });
    expect(s.notifyFailure(0)).toBe(true); // restart at 1
    expect(s.notifyFailure(8)).toBe(true); // 7 ms after it: not yet a reset
    expect(s.getBackoffTime()).toBe(2); // restart at 10
    expect(s.notifyFailure(18)).toBe(true); // 8 ms after it: reset
    expect(s.getBackoffTime()).toBe(1);
  });

  it('multiplies the backoff (fractional multiplier, truncated to whole ms)', () => {
    const s = exponential({ initialBackoffMs: 4, maxBackoffMs: 300, multiplier: 2.3, resetThresholdMs: 0x7fff_ffff, jitter: 0, attemptsBeforeReset: 10 });
    const backoffs: number[] = [];
    let now = 0;
    for (let i = 0; i < 3; i++) {
      expect(s.notifyFailure(now)).toBe(true);
      backoffs.push(s.getBackoffTime());
      now += 301;
    }
    expect(backoffs).toEqual([4, 9, 21]); // 4, 4 * 2.3, 4 * 2.3 * 2.3
  });

  it('jitter moves the backoff by up to ±floor(backoff × jitter), then clamps to max', () => {
    const options = { initialBackoffMs: 2, maxBackoffMs: 7, multiplier: 2, resetThresholdMs: 0x7fff_ffff, jitter: 0.25 };
    expect(backoffsSeen(options, 2, 8)).toEqual([3, 4, 5]); // 4 ± 1
    expect(backoffsSeen(options, 3, 8)).toEqual([6, 7]); // 8 ± 2, clamped to 7
    expect(backoffsSeen(options, 4, 8)).toEqual([7]); // 16 ± 4
  });

  it('jitter 1 can reach down to the initial backoff but never above max', () => {
    const options = { initialBackoffMs: 1, maxBackoffMs: 7, multiplier: 2, resetThresholdMs: 0x7fff_ffff, jitter: 1 };
    expect(backoffsSeen(options, 1, 8)).toEqual([1, 2]); // 1 ± 1, at least initial
    expect(backoffsSeen(options, 2, 8)).toEqual([1, 2, 3, 4]); // 2 ± 2
    expect(backoffsSeen(options, 3, 8)).toEqual([1, 2, 3, 4, 5, 6, 7]); // 4 ± 4, at most max
  });

  it('combines growth, reset and growth again (multiple settings)', () => {
    const s = exponential({ initialBackoffMs: 1, maxBackoffMs: 9, multiplier: 2, resetThresholdMs: 80, jitter: 0.25 });
    const step = (now: number) => {
      expect(s.notifyFailure(now)).toBe(true);
      expect(s.canRestart()).toBe(true);
      return s.getBackoffTime();
    };
    expect(step(0)).toBe(1); // restart at 1
    expect(step(81)).toBe(1); // 80 after it: reset; restart at 82
    expect(step(85)).toBe(2); // grows; restart at 87
    expect(step(175)).toBe(1); // 88 after it: reset; restart at 176
    expect(step(185)).toBe(2); // grows again
  });

  /** Failures during [t, t + backoff) join the pending attempt; getBackoffTime counts down. Gives the last ms merged. */
  function expectMerged(s: ExponentialDelayRestartBackoffTimeStrategy, startMs: number, backoffMs: number): number {
    let first = true;
    for (let elapsed = 0; elapsed < backoffMs; elapsed++) {
      for (let i = 0; i < 10; i++) {
        expect(s.notifyFailure(startMs + elapsed)).toBe(first);
        first = false;
        expect(s.canRestart()).toBe(true);
        expect(s.getBackoffTime()).toBe(backoffMs - elapsed);
      }
    }
    return startMs + backoffMs - 1;
  }

  it('merges the failures of one incident into one attempt, and counts attempts by incident', () => {
    const s = exponential({ initialBackoffMs: 2, maxBackoffMs: 6, multiplier: 2, resetThresholdMs: 80, jitter: 0, attemptsBeforeReset: 3 });
    let now = expectMerged(s, 0, 2);
    now = expectMerged(s, now + 1, 4);
    now = expectMerged(s, now + 1, 6);
    expect(s.notifyFailure(now + 1)).toBe(true); // a 4th attempt, at the instant of the 3rd restart
    expect(s.canRestart()).toBe(false);
  });

  it('merging keeps working across resets, and a reset gives the attempts back', () => {
    const s = exponential({ initialBackoffMs: 2, maxBackoffMs: 6, multiplier: 2, resetThresholdMs: 80, jitter: 0, attemptsBeforeReset: 3 });
    let now = 0;
    for (let round = 0; round < 10; round++) {
      now = expectMerged(s, now, 2);
      now = expectMerged(s, now + 1, 4);
      now = expectMerged(s, now + 1, 6);
      now += 1 + 80; // exactly the threshold after the last scheduled restart (now is the ms before it)
    }
    expect(s.canRestart()).toBe(true);
  });
});

describe('ExponentialDelayRestartBackoffTimeStrategy, Weir specifics', () => {
  it("Flink's default options give 1 s, x1.5 (truncated), capped at 1 min", () => {
    const s = exponential({ jitter: 0 });
    const backoffs: number[] = [];
    let now = 0;
    for (let i = 0; i < 13; i++) {
      s.notifyFailure(now);
      backoffs.push(s.getBackoffTime());
      now += s.getBackoffTime() + 1;
    }
    expect(backoffs).toEqual([1000, 1500, 2250, 3375, 5062, 7593, 11390, 17085, 25628, 38443, 57665, 60000, 60000]);
  });

  it('the reset threshold is inclusive, measured from the scheduled restart', () => {
    const spec = { initialBackoffMs: 100, maxBackoffMs: 10_000, multiplier: 2, resetThresholdMs: 1000, jitter: 0 };
    const before = exponential(spec);
    before.notifyFailure(0); // restart at 100
    before.notifyFailure(1099);
    expect(before.getBackoffTime()).toBe(200);
    const at = exponential(spec);
    at.notifyFailure(0);
    at.notifyFailure(1100);
    expect(at.getBackoffTime()).toBe(100);
  });

  it('draws jitter beyond 2^32 ms exactly, and stays an integer within [initial, max]', () => {
    const maxBackoffMs = 0x1000_0000_0000; // 2^44
    const random = stream(3);
    const s = exponential({ initialBackoffMs: 1, maxBackoffMs, multiplier: 2, resetThresholdMs: Number.MAX_SAFE_INTEGER, jitter: 1 }, random);
    let now = 0;
    const below = new Set<number>();
    for (let i = 0; i < 200; i++) {
      now += maxBackoffMs + 1;
      const drawsBefore = random.draws;
      expect(s.notifyFailure(now)).toBe(true);
      // 2^k ± 2^k spans 2^(k+1) + 1 values: more than one 32-bit word covers from k = 31 on.
      expect(random.draws - drawsBefore).toBeGreaterThanOrEqual(i <= 30 ? 1 : 2);
      const b = s.getBackoffTime();
      expect(Number.isSafeInteger(b)).toBe(true);
      expect(b).toBeGreaterThanOrEqual(1);
      expect(b).toBeLessThanOrEqual(maxBackoffMs);
      if (i >= 40 && b < maxBackoffMs) below.add(b);
    }
    // With jitter 1 the wide draws still land below max now and then (at k = 43, mostly).
    expect(below.size).toBeGreaterThanOrEqual(3);
  });

  it('describes itself, and rejects options Flink rejects', () => {
    expect(exponential({}).describe()).toBe(
      'exponential-delay (initial 1000 ms, max 60000 ms, multiplier 1.5, reset after 3600000 ms, jitter 0.1, unlimited attempts)',
    );
    expect(exponential({ attemptsBeforeReset: 4 }).describe()).toMatch(/4 attempts before reset\)$/);
    const bad: Partial<ExponentialDelaySpec>[] = [
      { initialBackoffMs: 0 },
      { maxBackoffMs: 0 },
      { initialBackoffMs: 2000, maxBackoffMs: 1000 },
      { multiplier: 1 },
      { multiplier: Number.NaN },
      { resetThresholdMs: 0 },
      { jitter: -0.1 },
      { jitter: 1.01 },
      { attemptsBeforeReset: 0 },
      { initialBackoffMs: 1.5 },
    ];
    for (const options of bad) expect(() => exponential(options), JSON.stringify(options)).toThrow(RestartStrategyConfigError);
  });
});

// ---------------------------------------------------------------------------------------
// Properties.

const specArb = fc.record({
  initialBackoffMs: fc.integer({ min: 1, max: 2000 }),
  extraMaxMs: fc.integer({ min: 0, max: 100_000 }),
  multiplier: fc.constantFrom(1.1, 1.25, 1.5, 2, 2.3, 3),
  resetThresholdMs: fc.integer({ min: 1, max: 200_000 }),
  jitter: fc.constantFrom(0, 0.05, 0.1, 0.25, 0.5, 1),
  attemptsBeforeReset: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
});
type SpecInput = typeof specArb extends fc.Arbitrary<infer T> ? T : never;
const toSpec = (x: SpecInput): Partial<ExponentialDelaySpec> => ({
  initialBackoffMs: x.initialBackoffMs,
  maxBackoffMs: x.initialBackoffMs + x.extraMaxMs,
  multiplier: x.multiplier,
  resetThresholdMs: x.resetThresholdMs,
  jitter: x.jitter,
  attemptsBeforeReset: x.attemptsBeforeReset,
});

interface Step {
  readonly newAttempt: boolean;
  readonly backoffMs: number;
  readonly canRestart: boolean;
}

function run(s: ExponentialDelayRestartBackoffTimeStrategy, gaps: readonly number[]): Step[] {
  let now = 0;
  return gaps.map((gap) => {
    now += gap;
    const newAttempt = s.notifyFailure(now);
    return { newAttempt, backoffMs: s.getBackoffTime(), canRestart: s.canRestart() };
  });
}

describe('ExponentialDelayRestartBackoffTimeStrategy properties', () => {
  fcTest.prop([specArb, fc.array(fc.nat(300_000), { minLength: 1, maxLength: 60 }), fc.integer()])(
    'a new attempt waits an integer in [initial, max]; a merged failure waits what is left of the pending one',
    (input, gaps, seed) => {
      const spec = toSpec(input);
      const steps = run(exponential(spec, stream(seed)), gaps);
      let now = 0;
      let restartAt = -1;
      steps.forEach((step, i) => {
        now += gaps[i]!;
        expect(Number.isSafeInteger(step.backoffMs)).toBe(true);
        expect(step.newAttempt).toBe(i === 0 || now >= restartAt);
        if (step.newAttempt) {
          expect(step.backoffMs).toBeGreaterThanOrEqual(spec.initialBackoffMs!);
          expect(step.backoffMs).toBeLessThanOrEqual(spec.maxBackoffMs!);
          restartAt = now + step.backoffMs;
        } else {
          expect(step.backoffMs).toBe(restartAt - now);
        }
      });
    },
  );

  fcTest.prop([specArb, fc.array(fc.nat(300_000), { minLength: 1, maxLength: 60 }), fc.integer()])(
    'the same seed gives the same backoffs',
    (input, gaps, seed) => {
      const spec = toSpec(input);
      expect(run(exponential(spec, stream(seed)), gaps)).toEqual(run(exponential(spec, stream(seed)), gaps));
    },
  );

  fcTest.prop([specArb, fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 60 })])(
    'without jitter, backoffs never decrease between resets, and a reset starts again at initial',
    (input, gaps) => {
      const spec = { ...toSpec(input), jitter: 0 };
      const s = exponential(spec);
      let now = 0;
      let restartAt: number | null = null;
      let previous = 0;
      for (const gap of gaps) {
        now += gap;
        if (!s.notifyFailure(now)) continue;
        const backoff = s.getBackoffTime();
        const reset = restartAt === null || now - restartAt >= spec.resetThresholdMs!;
        if (reset) expect(backoff).toBe(spec.initialBackoffMs);
        else expect(backoff).toBeGreaterThanOrEqual(previous);
        previous = backoff;
        restartAt = now + backoff;
      }
    },
  );

  fcTest.prop([
    fc.integer({ min: 1, max: 1000 }),
    fc.constantFrom(0, 0.1, 0.25, 0.5, 1),
    fc.integer({ min: 1, max: 25 }),
    fc.integer(),
  ])('multiplier 2: attempt k waits initial·2^k ± floor(initial·2^k·jitter), clamped to [initial, max]', (initial, jitter, failures, seed) => {
    const maxBackoffMs = initial * 0x1_0000; // far above 2^k for the clamp to show only at the low end
    const s = exponential({ initialBackoffMs: initial, maxBackoffMs, multiplier: 2, resetThresholdMs: 0x7fff_ffff, jitter }, stream(seed));
    let now = 0;
    let base = initial;
    for (let k = 0; k < failures; k++) {
      now += maxBackoffMs + 1;
      s.notifyFailure(now);
      const offset = Math.floor(base * jitter);
      const clamp = (ms: number) => Math.max(initial, Math.min(ms, maxBackoffMs));
      const low = clamp(base - offset);
      const high = clamp(base + offset);
      expect(s.getBackoffTime()).toBeGreaterThanOrEqual(low);
      expect(s.getBackoffTime()).toBeLessThanOrEqual(high);
      base *= 2;
    }
  });

  fcTest.prop([fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(200), { minLength: 1, maxLength: 40 })])(
    'attempts-before-reset: canRestart is false exactly when more attempts than allowed came since the last reset',
    (attempts, gaps) => {
      const threshold = 500;
      const s = exponential({ initialBackoffMs: 10, maxBackoffMs: 100, multiplier: 2, resetThresholdMs: threshold, jitter: 0, attemptsBeforeReset: attempts });
      let now = 0;
      let sinceReset = 0;
      let restartAt: number | null = null;
      for (const gap of gaps) {
        now += gap;
        if (s.notifyFailure(now)) {
          sinceReset = restartAt === null || now - restartAt >= threshold ? 1 : sinceReset + 1;
          restartAt = now + s.getBackoffTime();
        }
        expect(s.canRestart()).toBe(sinceReset <= attempts);
      }
    },
  );
});
