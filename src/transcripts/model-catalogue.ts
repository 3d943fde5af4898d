/**
 * The speech models hallo installs by name: whisper.cpp's ggml files as their publisher hosts them
 * on Hugging Face, at one pinned revision of the repository, each with its size and SHA-256 as
 * Hugging Face's API lists them for that revision (the Git LFS object id). A download that does
 * not hash to this value is never put in place.
 */
export interface CatalogueModel {
  name: string;
  file: string;
  bytes: number;
  sha256: string;
  /** What it is for, in `hallo models list`. */
  summary: string;
  /**
   * Transcription time over message length on one core (bench/transcribe: 2-core x86-64-v3,
   * language detected, 3 tokens a second), so the list can say what a model costs.
   */
  realTimeFactor: number;
}

/** ggerganov/whisper.cpp on Hugging Face, the revision the sizes and hashes below belong to. */
export const MODEL_REPOSITORY_URL =
  'https://huggingface.co/ggerganov/whisper.cpp/resolve/5359861c739e955e79d9a303bcbc70fb988958b1';

export const MODEL_CATALOGUE: readonly CatalogueModel[] = [
  {
    name: 'base-q5_1',
    file: 'ggml-base-q5_1.bin',
    bytes: 59_707_625,
    sha256: '422f1ae452ade6f30a004d7e5c6a43195e4433bc370bf23fac9cc591f01a8898',
    summary: 'multilingual, 74 M parameters, 5-bit: fast on one core, rough on German',
    realTimeFactor: 0.44,
  },
  {
    name: 'small-q5_1',
    file: 'ggml-small-q5_1.bin',
    bytes: 190_085_487,
    sha256: 'ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb',
    summary: 'multilingual, 244 M parameters, 5-bit: the middle ground',
    realTimeFactor: 1.35,
  },
  {
    name: 'large-v3-turbo-q5_0',
    file: 'ggml-large-v3-turbo-q5_0.bin',
    bytes: 574_041_195,
    sha256: '394221709cd5ad1f40c46e6031ca61bce88931e6e088c188294c6d5a55ffa7e2',
    summary: 'multilingual, 809 M parameters, 5-bit: best German, several times slower',
    realTimeFactor: 6.9,
  },
];

export function catalogueModel(name: string): CatalogueModel | undefined {
  return MODEL_CATALOGUE.find((m) => m.name === name);
}

/** Where a model is fetched from: the pinned revision, or the owner's mirror under the same name. */
export function modelUrl(model: CatalogueModel, mirror?: string): string {
  const base = mirror ? mirror.replace(/\/+$/, '') : MODEL_REPOSITORY_URL;
  return `${base}/${model.file}`;
}
