/**
 * The faults layer: fault plans (plain data, from a scenario) and the injector that plays them.
 */
export { FaultInjector, UNLIMITED_THROUGHPUT, type FaultOutcome } from './injector.ts';
