/** `@bosun/events/bench`: watch delivery latency, for the bench runner (`npm run bench -- store`). */
export { benchWatchLatency } from './watch-latency';
