/** `@bosun/controller-manager-service/bench`: Deployments reconciled, for `npm run bench -- scheduler`. */
export { benchDeployments } from './deployments';
