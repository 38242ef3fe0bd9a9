/**
 * `@bosun/scheduler-service/testing`: a scheduler replica in this process, for suites that run
 * the control plane together (the controller-manager's orchestration test). Test code only.
 */
export { startScheduler } from '../test/cluster';
