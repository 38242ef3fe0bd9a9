/** `@bosun/scheduler-service/bench`: pods placed per second, for `npm run bench -- scheduler`. */
export { benchScheduler } from './scheduler';
