// CONTRACT.md section 4: `/?scenario=NAME&seed=N&run=end` shows the trace hash that
// `weir run scenarios/NAME.json --seed N --json` prints, for every shipped scenario.
import { expect, test } from '@playwright/test';
import { nodeTraceHash, shippedScenarios, watchForProblems } from './helpers.ts';

const scenarios = shippedScenarios();

test('there are shipped scenarios to check, hello-map-filter among them', () => {
  expect(scenarios.map((s) => s.name)).toContain('hello-map-filter');
});

for (const scenario of scenarios) {
  // The scenario's own seed and another one.
  for (const seed of [scenario.seed, scenario.seed + 1_000_003]) {
    test(`${scenario.name} seed ${seed}: Chromium's trace hash equals weir run's`, async ({ page }) => {
      const problems = watchForProblems(page);
      const expected = nodeTraceHash(scenario.name, seed);
      await page.goto(`/?scenario=${encodeURIComponent(scenario.name)}&seed=${seed}&run=end`);
      await expect(page.getByTestId('trace-hash')).toHaveText(expected, { timeout: 60_000 });
      await expect(page.getByTestId('scenario-select')).toHaveValue(scenario.name);
      await expect(page.getByTestId('seed-input')).toHaveValue(String(seed));
      expect(problems).toEqual([]);
    });
  }
}
