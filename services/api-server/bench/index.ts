/** `@bosun/api-server-service/bench`: API latency, for the bench runner (`npm run bench -- api`). */
export { benchApi } from './api';
