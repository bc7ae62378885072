/**
 * Scenario files: their types, validation and parsing.
 */
export * from './types.ts';
export { parseScenarioText, validateScenario, type ValidationOptions, OPERATOR_TYPES, MAX_MAX_PARALLELISM } from './validate.ts';
export { inputsOf } from './job-shape.ts';
export { FAULT_TYPES, MAX_FAULTS } from './read-faults.ts';
export { validateFaultPlan, type FaultPlanResult } from './validate-faults.ts';
export { keySelector, scenarioToStreamGraph, type ScenarioConnectors } from './to-stream-graph.ts';
