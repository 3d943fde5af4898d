import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Instruction, type JSONInstruction } from 'dockerfile-ast';

/**
 * Replays the Dockerfile's stages on this machine (where no Docker engine runs) into folders: the
 * build stages' COPY and RUN lines for real, the final stage's COPY lines for real. What the final
 * stage's RUN lines do to the system (packages, /data) cannot be replayed here; each must match a
 * known shape, so a new one fails loudly instead of being skipped in silence.
 */
export interface ReplayedImage {
  /** The final stage's WORKDIR, as a folder on this machine. */
  appDir: string;
  env: Record<string, string>;
  user: string | undefined;
  /** ENTRYPOINT + CMD as JSON strings. */
  entrypoint: string[];
  cmd: string[];
  volumes: string[];
  /** The HEALTHCHECK command (shell form), if any. */
  healthcheck: string | undefined;
  /** The final stage's RUN lines, which were checked but not run. */
  systemRuns: string[];
}

/** The shapes of system set-up a final stage may do; anything else needs this replay taught. */
const SYSTEM_RUN_SHAPES = [
  /^apt-get update && apt-get install -y --no-install-recommends [a-z0-9 .+-]+ && rm -rf \/var\/lib\/apt\/lists\/\*$/,
  /^mkdir -p (\/data\/[a-z]+ ?)+ && chown -R node:node \/data$/,
];

interface Stage {
  name: string | undefined;
  root: string;
  workdir: string;
}

export function replayDockerfile(contextDir: string, outDir: string): ReplayedImage {
  const dockerfile = DockerfileParser.parse(
    readFileSync(path.join(contextDir, 'Dockerfile'), 'utf8'),
  );
  const ignored = readDockerignore(contextDir);
  const froms = dockerfile.getFROMs();
  const stages: Stage[] = [];
  const image: ReplayedImage = {
    appDir: '',
    env: {},
    user: undefined,
    entrypoint: [],
    cmd: [],
    volumes: [],
    healthcheck: undefined,
    systemRuns: [],
  };
  let stage: Stage | undefined;
  // Build arguments at their defaults, as \`docker build\` without --build-arg gives them to RUN.
  const buildArgs: Record<string, string> = {};
  const inStage = (s: Stage, p: string): string =>
    path.join(s.root, path.isAbsolute(p) ? p : path.join(s.workdir, p));

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((a) => a.getValue());
    if (keyword === 'FROM') {
      const name = froms[stages.length]?.getBuildStage() ?? undefined;
      stage = { name, root: path.join(outDir, `stage-${stages.length}`), workdir: '/' };
      mkdirSync(stage.root, { recursive: true });
      stages.push(stage);
      continue;
    }
    if (!stage) throw new Error(`${keyword} before FROM`);
    const final = stages.length === froms.length;
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(stage.workdir, args[0] ?? '/');
        mkdirSync(inStage(stage, '.'), { recursive: true });
        break;
      case 'COPY': {
        const from = (instruction as unknown as { getFromFlag(): { getValue(): string } | null })
          .getFromFlag()
          ?.getValue();
        const sources = args.filter((a) => !a.startsWith('--'));
        const dest = sources.pop() as string;
        for (const source of sources) {
          let src: string;
          if (from) {
            const other = stages.find((s) => s.name === from);
            if (!other) throw new Error(`COPY --from=${from}: no such stage`);
            src = path.join(other.root, source);
          } else {
            if (ignored.some((pattern) => pattern === source.replace(/\/$/, '')))
              throw new Error(`COPY ${source}: excluded by .dockerignore, so the image lacks it`);
            src = path.join(contextDir, source);
          }
          if (!existsSync(src)) throw new Error(`COPY ${source}: not found (${src})`);
          const target = inStage(stage, dest);
          const intoFolder = dest.endsWith('/') || sources.length > 1;
          const to = intoFolder ? path.join(target, path.basename(source)) : target;
          mkdirSync(path.dirname(to), { recursive: true });
          cpSync(src, to, {
            recursive: true,
            filter: (file) => !isIgnored(path.relative(contextDir, file), ignored, from),
          });
        }
        break;
      }
      case 'RUN': {
        const command = rawArguments(instruction);
        if (final) {
          if (!SYSTEM_RUN_SHAPES.some((shape) => shape.test(command)))
            throw new Error(`The final stage's RUN is not one this replay knows: ${command}`);
          image.systemRuns.push(command);
        } else if (SYSTEM_RUN_SHAPES[0]?.test(command)) {
          // A build stage's packages: this machine must have them (setup.sh installs them).
          const packages = /--no-install-recommends ([a-z0-9 .+-]+) &&/.exec(command)?.[1] ?? '';
          for (const pkg of packages.trim().split(' '))
            execFileSync('dpkg', ['-s', pkg], { stdio: 'ignore' });
        } else {
          execFileSync('sh', ['-c', command], {
            cwd: inStage(stage, '.'),
            stdio: ['ignore', 'ignore', 'pipe'],
            env: { ...process.env, ...buildArgs, CI: 'true' },
          });
        }
        break;
      }
      case 'ENV':
        if (final) {
          for (const pair of args) {
            const [key, ...value] = pair.split('=');
            if (key) image.env[key] = value.join('=');
          }
        }
        break;
      case 'USER':
        if (final) image.user = args[0];
        break;
      case 'VOLUME':
        if (final) image.volumes = jsonStrings(instruction);
        break;
      case 'ENTRYPOINT':
        if (final) image.entrypoint = jsonStrings(instruction);
        break;
      case 'CMD':
        if (final) image.cmd = jsonStrings(instruction);
        break;
      case 'HEALTHCHECK':
        if (final) image.healthcheck = rawArguments(instruction).replace(/^.*?\bCMD\s+/s, '');
        break;
      case 'ARG': {
        const [key, ...value] = (args[0] ?? '').split('=');
        if (key) buildArgs[key] = value.join('=');
        break;
      }
      case 'EXPOSE':
        break;
      default:
        throw new Error(`This replay does not know ${keyword}`);
    }
  }
  const last = stages.at(-1);
  if (!last) throw new Error('The Dockerfile has no stage');
  image.appDir = inStage(last, '.');
  return image;
}

function rawArguments(instruction: Instruction): string {
  const raw = (instruction as unknown as { getRawArgumentsContent(): string | null })
    .getRawArgumentsContent()
    ?.replace(/\\\r?\n\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return raw ?? '';
}

function jsonStrings(instruction: Instruction): string[] {
  const strings = (instruction as JSONInstruction).getJSONStrings();
  if (strings.length === 0)
    throw new Error(`${instruction.getKeyword()} must use the JSON form (signals reach node)`);
  return strings.map((s) => s.getJSONValue());
}

function readDockerignore(contextDir: string): string[] {
  const file = path.join(contextDir, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim().replace(/\/$/, ''))
    .filter((line) => line && !line.startsWith('#'));
}

/** Top-level names only: that is all hallo's .dockerignore uses. */
function isIgnored(relative: string, ignored: string[], fromStage: string | undefined): boolean {
  if (fromStage || relative.startsWith('..')) return false;
  const top = relative.split(path.sep)[0] ?? '';
  return ignored.includes(top);
}
