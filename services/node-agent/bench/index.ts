/** `@bosun/node-agent-service/bench`: pod startup, for the bench runner (`npm run bench -- pod-startup`). */
export { benchPodStartup } from './pod-startup';
