import path from 'node:path';
import type { Config } from '../config';
import { fileSize, installModel } from '../transcripts/install-model';
import { catalogueModel, MODEL_CATALOGUE, modelUrl } from '../transcripts/model-catalogue';
import { modelsDirOf } from '../transcripts/model-file';
import { UsageError } from './account-commands';

export const MODELS_USAGE = `  models list                             the speech models hallo can install, and which are installed
  models install NAME                     download a model, check its pinned SHA-256, put it in MODELS_DIR`;

const megabytes = (bytes: number) => `${Math.round(bytes / 1_000_000)} MB`;

async function list(dir: string): Promise<string> {
  const rows = await Promise.all(
    MODEL_CATALOGUE.map(async (m) => {
      const state =
        (await fileSize(path.join(dir, m.file))) === m.bytes ? 'installed' : 'not installed';
      const speed = `${m.realTimeFactor.toFixed(1)}x real time on one core`;
      return `${m.name}\t${megabytes(m.bytes)}\t${speed}\t${state}\t${m.summary}`;
    }),
  );
  return [`models in ${dir}:`, ...rows].join('\n');
}

/** Progress on stderr, one line per tenth, so a log of the setup stays short. */
function progressPrinter(name: string): (received: number, total: number) => void {
  let shown = -1;
  return (received, total) => {
    const tenth = Math.floor((received / total) * 10);
    if (tenth === shown) return;
    shown = tenth;
    process.stderr.write(`${name}: ${megabytes(received)} of ${megabytes(total)}\n`);
  };
}

export async function runModelCommand(
  config: Pick<Config, 'MODELS_DIR' | 'STORAGE_DIR' | 'MODELS_MIRROR_URL'>,
  args: string[],
): Promise<string> {
  const [action, name] = args;
  const dir = modelsDirOf(config);
  if (action === 'list') return list(dir);
  if (action !== 'install') throw new UsageError('models: say "list" or "install NAME"');
  const model = name === undefined ? undefined : catalogueModel(name);
  if (!model) {
    throw new UsageError(
      `models install: name one of ${MODEL_CATALOGUE.map((m) => m.name).join(', ')}`,
    );
  }
  const result = await installModel(
    { ...model, url: modelUrl(model, config.MODELS_MIRROR_URL) },
    dir,
    { onProgress: progressPrinter(model.name) },
  );
  if (result.alreadyInstalled) return `${model.name} is already installed at ${result.path}`;
  const resumed = result.resumedFrom > 0 ? `, resumed at ${megabytes(result.resumedFrom)}` : '';
  return `installed ${model.name} at ${result.path} (SHA-256 checked${resumed})`;
}
