export { BENCHMARKS } from './registry';
export { machineInfo } from './machine';
