/**
 * Scenario files: their types, validation and parsing.
 */
export * from './types.ts';
export { parseScenarioText, validateScenario, OPERATOR_TYPES, MAX_MAX_PARALLELISM } from './validate.ts';
export { inputsOf } from './job-shape.ts';
export { keySelector, scenarioToStreamGraph } from './to-stream-graph.ts';
