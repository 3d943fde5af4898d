import { fixture } from './fixtures';
import { validFields, type Harness } from './hallo-harness';

/** A message to send: a key for the test, a fixture file and the fields that differ. */
export type MessageSpec = readonly [key: string, file: string, fields: Record<string, string>];

/** Sends each fixture as a listener would and returns the new ids by key (each must be accepted). */
export async function sendMessages(
  hallo: Harness,
  messages: readonly MessageSpec[],
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [key, file, fields] of messages) {
    const sent = await hallo.upload({
      audio: { path: fixture(file) },
      fields: { ...validFields, ...fields },
    });
    if (sent.status !== 201) throw new Error(`${file} was refused: ${JSON.stringify(sent.body)}`);
    ids[key] = sent.body.id;
  }
  return ids;
}

/** Waits for each message to be rendered and approves it for the episode, as a reviewer would. */
export async function approveForEpisode(hallo: Harness, ids: string[], episode: string) {
  for (const id of ids) {
    await hallo.waitForProcessing(id, ['ready']);
    const reviewed = await hallo.admin(`/api/admin/submissions/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'approved', episode }),
      headers: { 'content-type': 'application/json' },
    });
    if (reviewed.status !== 200) throw new Error(`approving ${id}: ${reviewed.status}`);
  }
}
