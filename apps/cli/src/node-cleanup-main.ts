// `node node-cleanup-main.js <node root> <pod CIDR> <grace ms>`: what `bosun down` runs in a runc
// node's network namespace once its agent has stopped (see node-cleanup.ts).
import { cleanUpRuncNode } from './node-cleanup';

const [root, podCidr, grace = '10000'] = process.argv.slice(2);
if (!root || !podCidr) {
  process.stderr.write('usage: node-cleanup-main.js <node root> <pod CIDR> [grace ms]\n');
  process.exit(2);
}
cleanUpRuncNode(root, podCidr, Number(grace)).then(
  (n) => {
    process.stdout.write(`removed ${n} pod sandbox(es)\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`cleanup failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
