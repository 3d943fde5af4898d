import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MODEL_CATALOGUE } from '../../src/transcripts/model-catalogue';
import { ggmlModelBytes, realShapes, testShape, writeGgmlModel } from '../support/ggml-test-model';

describe('the generated whisper.cpp model', () => {
  it('writes the ggml layout: magic, a multilingual vocabulary size, mel filters, the blank token', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-ggml-'));
    try {
      const file = path.join(dir, 'test.bin');
      await writeGgmlModel(file, testShape);
      const b = readFileSync(file);
      expect(b.readUInt32LE(0)).toBe(0x67676d6c);
      expect(b.readInt32LE(4)).toBe(51865);
      expect(b.readInt32LE(4 + 9 * 4)).toBe(80); // n_mels
      const vocabAt = 4 + 11 * 4 + 8 + 80 * 201 * 4;
      expect(b.readInt32LE(vocabAt)).toBe(50257);
      expect(statSync(file).size).toBe(ggmlModelBytes(testShape));
      // Token 220 is a single space: whisper.cpp looks it up by its text.
      let at = vocabAt + 4;
      for (let i = 0; i < 220; i++) at += 4 + b.readInt32LE(at);
      expect(b.subarray(at + 4, at + 4 + b.readInt32LE(at)).toString()).toBe(' ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The benchmark's models must cost what the published ones cost: same shapes, same sizes.
  it.each(Object.keys(realShapes))('%s at real dimensions is the published file size', (name) => {
    const published = MODEL_CATALOGUE.find((m) => m.name === name)!.bytes;
    const generated = ggmlModelBytes(realShapes[name as keyof typeof realShapes]);
    expect(Math.abs(generated - published) / published).toBeLessThan(0.001);
  });
});
