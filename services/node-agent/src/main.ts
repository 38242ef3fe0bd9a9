import { bootstrapService, type ServiceOptions } from '@bosun/service-host';
import { AppModule } from './app.module';
import { nodeAgentConfig } from './config/node-agent-config';

/** The node-agent as service-host runs it; tests and `npm start` reuse this definition. */
export const nodeAgent: ServiceOptions<typeof nodeAgentConfig> = {
  name: 'node-agent',
  module: AppModule,
  defaultPort: 10248,
  config: nodeAgentConfig,
  status: {
    phase: 'partial',
    summary:
      'registers the node, renews its lease, runs bound pods on runc/process/fake (init containers, env, volumes, restarts with back-off, probes, graceful deletion, adoption) and serves kubectl logs/exec to the api-server, handles disk pressure (DiskPressure, taint, kubelet-ranked eviction, ENOSPC reasons) and loads image archives (bosun image load); no postStart, hostPort, projected/PVC volumes, memory/PID eviction yet',
  },
};

if (require.main === module) {
  bootstrapService(nodeAgent).catch(() => process.exit(1));
}
