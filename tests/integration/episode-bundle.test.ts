import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sendMessages } from '../support/send-messages';
import { startHallo, type Harness } from '../support/hallo-harness';
import { loudness, probe } from '../support/measure-audio';
import { unzip } from '../support/unzip';

const patch = (body: unknown): RequestInit => ({
  method: 'PATCH',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

describe.each(['disk', 's3'] as const)('the episode bundle (%s storage)', (driver) => {
  let hallo: Harness;
  let dir: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    hallo = await startHallo({ driver });
    dir = await mkdtemp(path.join(os.tmpdir(), 'hallo-bundle-'));
    const messages = [
      [
        'anna',
        'chrome.webm',
        { name: 'Anna aus Berlin', topic: 'Wetter', message: 'Hallo,\n"ihr"!' },
      ],
      ['safari', 'safari.mp4', { name: '=HYPERLINK("x")', message: 'Formel' }],
      ['phone', 'phone.m4a', { name: 'Jörg Müller' }],
      ['rejected', 'speech.mp3', { name: 'Nope' }],
    ] as const;
    Object.assign(ids, await sendMessages(hallo, messages));
    for (const id of Object.values(ids)) await hallo.waitForProcessing(id, ['ready']);
    const review = (key: string, body: unknown) =>
      hallo.admin(`/api/admin/submissions/${ids[key]}`, patch(body));
    await review('anna', { state: 'approved', episode: 'Folge 12', note: 'Als Erstes' });
    await review('safari', { state: 'approved', episode: 'Folge 12' });
    await review('phone', { state: 'approved', episode: 'Folge 13' });
    await review('rejected', { state: 'rejected', episode: 'Folge 12' });
  });
  afterAll(async () => {
    await hallo?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function download(query: string): Promise<{ response: Response; zip: Buffer }> {
    const response = await hallo.admin(`/api/admin/bundle?${query}`);
    return { response, zip: Buffer.from(await response.arrayBuffer()) };
  }

  it("streams an episode's approved clips as WAVs with clips.csv and show-notes.md", async () => {
    const { response, zip } = await download(`episode=${encodeURIComponent('Folge 12')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(Number(response.headers.get('content-length'))).toBe(zip.length);
    expect(response.headers.get('content-disposition')).toMatch(/_folge-12\.zip"?$/);

    const entries = await unzip(zip);
    const names = [...entries.keys()];
    expect(names).toHaveLength(4);
    const wavs = names.filter((n) => n.endsWith('.wav'));
    // In arrival order, numbered; the rejected one is left out.
    expect(wavs).toEqual([
      expect.stringMatching(/^1_\d{4}-\d\d-\d\d_anna-aus-berlin_[0-9a-z]{8}\.wav$/),
      expect.stringMatching(/^2_\d{4}-\d\d-\d\d_hyperlink-x_[0-9a-z]{8}\.wav$/),
    ]);
    for (const name of wavs) {
      const file = path.join(dir, `${driver}-${name}`);
      await writeFile(file, entries.get(name)!);
      expect(await probe(file)).toMatchObject({
        codec: 'pcm_s24le',
        channels: 1,
        sampleRate: 48000,
      });
      expect((await loudness(file)).integratedLufs).toBeCloseTo(-16, 0);
    }

    const csv = entries.get('clips.csv')!.toString('utf8');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'position,file,name,topic,note,team_note,duration_seconds,loudness_lufs,received_at,consent_at,consent_version,submission_id,transcript_language,transcript',
    );
    expect(lines[1]).toContain(`1,${wavs[0]},Anna aus Berlin,Wetter,"Hallo,`);
    expect(csv).toMatch(/"Hallo,\n""ihr""!",Als Erstes,\d+\.?\d*,-1[5-7]\.?\d?,/);
    // A name that would run as a spreadsheet formula is escaped.
    expect(csv).toContain(`2,${wavs[1]},"'=HYPERLINK(""x"")",,Formel,`);
    expect(csv).toContain(ids.anna);
    expect(csv).not.toContain(ids.rejected);
    expect(csv).not.toContain('anna@example.org'); // the editor gets no e-mail addresses

    const notes = entries.get('show-notes.md')!.toString('utf8');
    expect(notes).toMatch(/^# Folge 12\n\n2 Sprachnachrichten, \d+:\d\d insgesamt\./);
    expect(notes).toContain('1. **Anna aus Berlin** – Wetter (');
    expect(notes).toContain('   > Redaktion: Als Erstes');
  });

  it('bundles a selection by ids, leaving out what is not approved', async () => {
    const { response, zip } = await download(`ids=${ids.phone},${ids.rejected}`);
    expect(response.status).toBe(200);
    const names = [...(await unzip(zip)).keys()];
    expect(names.filter((n) => n.endsWith('.wav'))).toEqual([
      expect.stringMatching(/^1_.*_joerg-mueller_.*\.wav$/),
    ]);
  });

  it('refuses an empty or malformed selection with a clear code', async () => {
    const empty = await hallo.admin('/api/admin/bundle?episode=Folge%2099');
    expect([empty.status, (await empty.json()).error.code]).toEqual([404, 'BUNDLE_EMPTY']);
    for (const query of ['', 'ids=nope', 'episode=..%2F..', 'episode=a&ids=b']) {
      const bad = await hallo.admin(`/api/admin/bundle?${query}`);
      expect([query, bad.status, (await bad.json()).error.code]).toEqual([
        query,
        400,
        'INVALID_QUERY',
      ]);
    }
    expect((await fetch(`${hallo.url}/api/admin/bundle?episode=Folge%2012`)).status).toBe(401);
  });
});
