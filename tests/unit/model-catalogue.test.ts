import {
  catalogueModel,
  MODEL_CATALOGUE,
  MODEL_REPOSITORY_URL,
  modelUrl,
} from '../../src/transcripts/model-catalogue';

describe('the speech model catalogue', () => {
  it.each(MODEL_CATALOGUE.map((m) => [m.name, m]))('%s is pinned by size and SHA-256', (_, m) => {
    expect(m.file).toBe(`ggml-${m.name}.bin`);
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.bytes).toBeGreaterThan(10_000_000);
  });

  it('fetches from one pinned revision, or from a mirror under the same file name', () => {
    const base = catalogueModel('base-q5_1')!;
    expect(MODEL_REPOSITORY_URL).toMatch(/\/resolve\/[0-9a-f]{40}$/);
    expect(modelUrl(base)).toBe(`${MODEL_REPOSITORY_URL}/ggml-base-q5_1.bin`);
    expect(modelUrl(base, 'https://models.example.org/whisper//')).toBe(
      'https://models.example.org/whisper/ggml-base-q5_1.bin',
    );
    expect(catalogueModel('tiny')).toBeUndefined();
  });
});
