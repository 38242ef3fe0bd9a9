import { freePort } from '@bosun/testing';
import { checkPrerequisites } from './prerequisites';

describe('start-up prerequisites (needs Postgres and NATS)', () => {
  it('finds the running Postgres and NATS', async () => {
    expect(await checkPrerequisites(process.env)).toEqual([]);
  });

  it('names what is missing and how to fix it', async () => {
    const port = await freePort();
    const problems = await checkPrerequisites({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
      NATS_URL: `nats://127.0.0.1:${port}`,
    });
    expect(problems.map((p) => p.what)).toEqual([
      `PostgreSQL at postgres://postgres@127.0.0.1:${port}/test`,
      `NATS JetStream at nats://127.0.0.1:${port}`,
    ]);
    expect(problems[0].fix).toMatch(/DATABASE_URL/);
    expect(problems[1].fix).toMatch(/NATS_URL/);
  });
});
