import type { Config } from '../config';
import type { Submission } from '../submissions/submission';
import type { SubmissionDocuments } from '../submissions/submission-documents';
import type { SubmissionIndex } from '../submissions/submission-index';
import type { Mailer } from './mailer';
import { digestMail, readyMail } from './team-mails';

export interface TeamMailDeps {
  config: Pick<Config, 'DEFAULT_LOCALE' | 'PUBLIC_URL'>;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  mailer: Mailer;
}

/** The mail for one ready message; nothing when it was erased before the mail went out. */
export async function sendReadyMail(
  deps: TeamMailDeps,
  submissionId: string,
): Promise<'sent' | 'gone'> {
  const submission = await deps.documents.read(submissionId);
  if (!submission) return 'gone';
  await deps.mailer.send(readyMail(submission, deps.config.DEFAULT_LOCALE, deps.config.PUBLIC_URL));
  return 'sent';
}

/** The digest of messages received in [since, until) that are ready; no mail on a quiet day. */
export async function sendDigestMail(
  deps: TeamMailDeps,
  since: Date,
  until: Date,
): Promise<number> {
  const ids = await deps.index.idsReceivedBetween(since, until);
  const read = await Promise.all(ids.map((id) => deps.documents.read(id)));
  const ready = read.filter((s): s is Submission => s?.processing.state === 'ready');
  if (ready.length === 0) return 0;
  await deps.mailer.send(digestMail(ready, deps.config.DEFAULT_LOCALE, deps.config.PUBLIC_URL));
  return ready.length;
}
