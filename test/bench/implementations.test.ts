// Every registered implementation must give the reference answers. Registering an
// implementation in bench/impls/index.ts is enough to have it checked here.
import { describe, expect, test } from 'vitest';
import { IMPLEMENTATIONS, workloadsOf } from '../../bench/impls/index.ts';
import { generateInput, type BenchInput } from '../../bench/input.ts';
import { expectedResult } from '../../bench/reference.ts';
import { BenchSink } from '../../bench/sink.ts';
import { WORKLOADS } from '../../bench/workloads.ts';

const SIZES = [1_000, 100_000] as const;
const inputs = new Map<number, BenchInput>(SIZES.map((n) => [n, generateInput(n)]));

test('the registry names each implementation by its own name, plain first', () => {
  const names = Object.keys(IMPLEMENTATIONS);
  expect(names[0]).toBe('plain');
  for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) expect(impl.name).toBe(name);
});

for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) {
  describe(`implementation ${name}`, () => {
    for (const n of SIZES) {
      for (const workload of workloadsOf(impl, WORKLOADS)) {
        test(`${workload} on N = ${n} gives the reference outputs and checksum`, { timeout: 60_000 }, () => {
          const sink = new BenchSink();
          impl.run(workload, inputs.get(n)!, sink);
          expect(sink.result()).toEqual(expectedResult(workload, n));
        });
      }
    }

    test('W2 and W3 drop and count a late record, whatever the watermark cadence', { timeout: 60_000 }, () => {
      // 2,000 on-time records with ts 5000..6999, keys 0..9. WORKLOADS.md has the watermark
      // advance at least once per 1,000 records, so by record 2,000 it is at least
      // 5999 - 100 = 5899: a record for window [4000, 5000) (end - 1 = 4999) is late. It is
      // at most 6999 - 100 = 6899, so window [6000, 7000) is still open for ts 6950.
      const n = 2002;
      const input: BenchInput = { n, key: new Int32Array(n), value: new Int32Array(n), ts: new Int32Array(n) };
      for (let i = 0; i < 2000; i++) {
        input.key[i] = i % 10;
        input.value[i] = 1;
        input.ts[i] = 5000 + i;
      }
      input.key[2000] = 1;
      input.value[2000] = 50;
      input.ts[2000] = 4999;
      input.key[2001] = 1;
      input.value[2001] = 50;
      input.ts[2001] = 6950;
      const expected = new BenchSink();
      for (const start of [5000, 6000]) {
        for (let key = 0; key < 10; key++) {
          const extra = start === 6000 && key === 1 ? 1 : 0;
          expected.window(key, start, start + 1000, 100 + extra, 100 + 50 * extra);
        }
      }
      expected.late();
      for (const workload of workloadsOf(impl, ['W2', 'W3'])) {
        const sink = new BenchSink();
        impl.run(workload, input, sink);
        expect(sink.result(), workload).toEqual(expected.result());
      }
    });
  });
}
