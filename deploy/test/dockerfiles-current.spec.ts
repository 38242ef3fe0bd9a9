import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  dockerfilePath,
  IMAGE_FACTS,
  libClosure,
  renderDockerfile,
  serviceNames,
} from '../src/dockerfiles';

// The seven Dockerfiles are one template (src/dockerfiles.ts) filled in per service; what each
// must contain is checked in dockerfiles.spec.ts, that none was edited by hand or left stale here.

const root = join(__dirname, '..', '..');

describe('services/*/Dockerfile', () => {
  it('has the image facts of exactly the services there are', () => {
    expect(Object.keys(IMAGE_FACTS).sort()).toEqual(serviceNames(root));
  });

  it.each(serviceNames(root))(
    'services/%s/Dockerfile is what `npm run dockerfiles` writes from the template',
    (service) => {
      expect(readFileSync(dockerfilePath(root, service), 'utf8')).toBe(
        renderDockerfile(root, service),
      );
    },
  );

  it("takes each image's libs from package.json, transitively", () => {
    expect(libClosure(root, 'services/gateway')).toEqual(['libs/common', 'libs/service-host']);
    const rendered = renderDockerfile(root, 'gateway');
    expect(rendered).toContain('for d in libs/common libs/service-host services/gateway; do');
    expect(rendered).not.toContain('COPY --from=build /repo/proto ./proto');
    expect(renderDockerfile(root, 'api-server')).toContain('COPY --from=build /repo/proto ./proto');
  });
});
