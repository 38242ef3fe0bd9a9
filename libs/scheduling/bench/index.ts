/** `@bosun/scheduling/bench`: pure placement, for the bench runner (`npm run bench -- scheduler`). */
export { benchSchedule } from './schedule';
