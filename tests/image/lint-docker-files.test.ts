import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';

/**
 * Lints what we ship for Docker without a Docker engine: the Dockerfile through dockerfile-utils'
 * validator (syntax and argument checks, as editors run it) plus the hadolint rules that matter
 * for this image, and the compose file for images that are gone or float.
 */
const ROOT = path.join(__dirname, '..', '..');
const source = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(source);
const instructions = dockerfile.getInstructions();
const argsOf = (keyword: string): string[] =>
  instructions
    .filter((i) => i.getKeyword() === keyword)
    .map((i) =>
      i
        .getArguments()
        .map((a) => a.getValue())
        .join(' '),
    );

describe('Dockerfile', () => {
  it('passes the dockerfile-utils validator', () => {
    expect(validate(source).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds FROM a pinned Node LTS line, never latest (DL3006, DL3007)', () => {
    for (const from of dockerfile.getFROMs()) {
      expect(from.getImageName()).toBe('node');
      expect(from.getImageTag()).toMatch(/^(22|24|26)-[a-z]+-slim$/);
    }
  });

  it('installs packages without recommends and drops the apt lists (DL3015, DL3009)', () => {
    for (const run of argsOf('RUN').filter((r) => r.includes('apt-get install'))) {
      expect(run).toContain('--no-install-recommends');
      expect(run).toContain('rm -rf /var/lib/apt/lists/*');
    }
  });

  it('runs as a non-root user, with JSON-form ENTRYPOINT and CMD (DL3002, DL3025)', () => {
    expect(argsOf('USER').at(-1)).not.toMatch(/^(root|0)$/);
    for (const keyword of ['ENTRYPOINT', 'CMD']) {
      const found = instructions.filter((i) => i.getKeyword() === keyword);
      expect(found).toHaveLength(1);
      expect(found[0]?.getArgumentsContent()?.trim()).toMatch(/^\[.*\]$/);
    }
  });

  it('has a HEALTHCHECK and uses WORKDIR instead of cd (DL3003)', () => {
    expect(argsOf('HEALTHCHECK')).toHaveLength(1);
    for (const run of argsOf('RUN')) expect(run).not.toMatch(/(^|&&\s*)cd\s/);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<string, { image?: string; build?: unknown; depends_on?: object }>;
  };
  const images = Object.values(compose.services)
    .filter((s) => !s.build)
    .map((s) => s.image ?? '');

  it('pulls only pinned images that still exist (MinIO left Docker Hub in September 2026)', () => {
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image).toMatch(/^[a-z0-9./-]+:[0-9][0-9a-z.-]*$/); // a tag that names a version
      expect(image).not.toMatch(/^minio\//);
    }
  });

  it('waits only on services it defines', () => {
    for (const service of Object.values(compose.services)) {
      for (const name of Object.keys(service.depends_on ?? {}))
        expect(Object.keys(compose.services)).toContain(name);
    }
  });
});
