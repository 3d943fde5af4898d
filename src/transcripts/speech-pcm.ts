import { fileUrl, safetyArgs } from '../audio/ffmpeg-args';
import { runProcess } from '../audio/run-process';

/** What whisper listens to: 16 kHz mono float samples. */
export const SPEECH_RATE = 16000;

/** The rendered clip (our own WAV) as raw 16 kHz mono float32, the engine's input. */
export function speechPcmArgs(wavPath: string, pcmPath: string): string[] {
  return [
    ...safetyArgs(),
    '-f',
    'wav',
    '-i',
    fileUrl(wavPath),
    '-map',
    '0:a:0',
    '-af',
    `aformat=sample_fmts=flt:channel_layouts=mono,aresample=${SPEECH_RATE}`,
    '-c:a',
    'pcm_f32le',
    '-f',
    'f32le',
    '-y',
    fileUrl(pcmPath),
  ];
}

export async function writeSpeechPcm(
  ffmpeg: string,
  wavPath: string,
  pcmPath: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  await runProcess(ffmpeg, speechPcmArgs(wavPath, pcmPath), options);
}
