import type { Config } from '../config';
import type { Logger } from '../log';
import { findModelFile } from '../transcripts/model-file';

/**
 * Says at start what transcription will do: nothing is refused for a missing model (messages are
 * ready without transcripts), but the operator should read how to get one here, not only in the inbox.
 */
export async function reportTranscripts(config: Config, logger: Logger): Promise<void> {
  if (config.TRANSCRIBE === 'off') return void logger.info('transcripts are off (TRANSCRIBE=off)');
  const model = await findModelFile(config);
  if (model) {
    logger.info({ model: model.name, threads: config.TRANSCRIBE_THREADS }, 'transcripts on');
    return;
  }
  logger.warn(
    { model: config.TRANSCRIBE_MODEL },
    'no speech model installed: transcripts are "unavailable" until one is (hallo models install base-q5_1, or bash scripts/setup.sh --transcripts), then run "hallo doctor --fix" to transcribe the messages that came meanwhile',
  );
}
