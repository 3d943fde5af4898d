import path from 'node:path';
import type { Config } from '../config';
import { fileSize } from './install-model';
import { catalogueModel } from './model-catalogue';

export function modelsDirOf(config: Pick<Config, 'MODELS_DIR' | 'STORAGE_DIR'>): string {
  return path.resolve(config.MODELS_DIR ?? path.join(config.STORAGE_DIR, 'models'));
}

export interface ModelFile {
  /** The catalogue name, or the file's own name for a local ggml file. */
  name: string;
  file: string;
  bytes: number;
}

/**
 * The model TRANSCRIBE_MODEL names, if it is on disk: a catalogue name counts only when its file
 * has the pinned size (an installer that was cut off leaves its part elsewhere), a path when it
 * is a non-empty file.
 */
export async function findModelFile(
  config: Pick<Config, 'MODELS_DIR' | 'STORAGE_DIR' | 'TRANSCRIBE_MODEL'>,
): Promise<ModelFile | undefined> {
  const wanted = config.TRANSCRIBE_MODEL;
  const known = catalogueModel(wanted);
  if (known) {
    const file = path.join(modelsDirOf(config), known.file);
    return (await fileSize(file)) === known.bytes
      ? { name: known.name, file, bytes: known.bytes }
      : undefined;
  }
  if (!wanted.includes('/') && !wanted.endsWith('.bin')) return undefined;
  const file = path.resolve(wanted);
  const bytes = await fileSize(file);
  return bytes > 0 ? { name: path.basename(file), file, bytes } : undefined;
}
