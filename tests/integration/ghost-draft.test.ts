import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startGhost, type GhostServer } from '../support/ghost-server';
import { startHallo, type Harness } from '../support/hallo-harness';
import { captureLog } from '../support/log-capture';
import { pollUntil } from '../support/poll';
import { approveForEpisode, sendMessages } from '../support/send-messages';

const EPISODE = 'Folge 42';
const episodePath = `/api/admin/episodes/${encodeURIComponent(EPISODE)}`;
const json = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

interface LexicalNode {
  type: string;
  src?: string;
  title?: string;
  duration?: number;
  mimeType?: string;
  children?: { text?: string }[];
}

/** Every file under a folder (Ghost's uploaded media). */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });

// A real Ghost from the npm registry, on loopback: the draft is read back through Ghost's own API.
describe('the newsletter draft in a real Ghost', () => {
  let ghost: GhostServer;
  let hallo: Harness;
  const { stream: log, lines: logLines } = captureLog();
  let ids: Record<string, string>;

  beforeAll(async () => {
    ghost = await startGhost();
    hallo = await startHallo({
      driver: 'disk',
      log,
      env: {
        LOG_LEVEL: 'trace',
        PODCAST_NAME: 'Deichfunk',
        GHOST_URL: ghost.url,
        GHOST_ADMIN_API_KEY: ghost.adminApiKey,
        JOB_BACKOFF_MS: '20',
      },
    });
    ids = await sendMessages(hallo, [
      [
        'anna',
        'chrome.webm',
        {
          name: 'Anna aus Berlin',
          topic: 'Wetter',
          message: 'Liebe Grüße\n<b>aus</b> Berlin',
          newsletter: 'true',
        },
      ],
      ['ben', 'safari.mp4', { name: 'Ben Bremen', newsletter: 'true' }],
      ['cem', 'phone.m4a', { name: 'Cem Köln' }],
    ]);
    await approveForEpisode(hallo, Object.values(ids), EPISODE);
    const order = await hallo.admin(
      `${episodePath}/order`,
      json('PUT', { ids: [ids.ben, ids.anna, ids.cem] }),
    );
    expect(order.status).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await hallo?.stop();
    await ghost?.stop();
  });

  const view = async () => (await hallo.adminJson(episodePath)) as any;
  const sendAndWait = async () => {
    const started = await hallo.admin(`${episodePath}/newsletter`, { method: 'POST' });
    expect(started.status).toBe(202);
    return pollUntil(view, (v) => ['sent', 'failed'].includes(v.newsletter.state), 'draft', 60_000);
  };
  const readPost = async (postId: string) => {
    const response = await ghost.admin(`/posts/${postId}/?formats=lexical`);
    expect(response.status).toBe(200);
    const post = ((await response.json()) as any).posts[0];
    return { post, nodes: JSON.parse(post.lexical).root.children as LexicalNode[] };
  };
  const postIdOf = (v: any) => /\/editor\/post\/([0-9a-f]{24})$/.exec(v.newsletter.editorUrl)![1]!;

  it('makes one draft with an audio card per allowed clip, in running order, served by Ghost', async () => {
    const done = await sendAndWait();
    expect(done.newsletter).toMatchObject({
      state: 'sent',
      cards: [ids.ben, ids.anna],
      left: [{ id: ids.cem, title: 'Cem Köln', reason: 'no-newsletter-consent' }],
    });
    expect(done.newsletter.editorUrl.startsWith(`${ghost.url}/ghost/#/editor/post/`)).toBe(true);

    const { post, nodes } = await readPost(postIdOf(done));
    expect(post.status).toBe('draft');
    expect(post.title).toBe('Folge 42: eure Sprachnachrichten');
    const cards = nodes.filter((n) => n.type === 'audio');
    expect(cards.map((c) => c.title)).toEqual(['Ben Bremen', 'Anna aus Berlin — Wetter']);
    const durations = Object.fromEntries(
      done.clips.map((c: any) => [c.title, c.durationSeconds as number]),
    );
    for (const card of cards) {
      expect(card.mimeType).toBe('audio/mpeg');
      expect(Math.abs(card.duration! - durations[card.title!])).toBeLessThanOrEqual(0.5);
      expect(card.src!.startsWith(`${ghost.url}/content/media/`)).toBe(true);
    }
    // The note is quoted as text under its card, markup and all, never as HTML.
    const quote = nodes[nodes.indexOf(cards[1]!) + 1]!;
    expect(quote.type).toBe('quote');
    expect(quote.children!.map((c) => c.text).filter(Boolean)).toEqual([
      'Liebe Grüße',
      '<b>aus</b> Berlin',
    ]);

    // Ghost serves exactly the clip hallo rendered.
    const served = await fetch(cards[1]!.src!);
    expect(served.status).toBe(200);
    const clip = await hallo.admin(`/api/admin/submissions/${ids.anna}/audio/mp3`);
    expect(
      Buffer.from(await served.arrayBuffer()).equals(Buffer.from(await clip.arrayBuffer())),
    ).toBe(true);
  }, 90_000);

  it('updates the same draft on a second send without uploading anything again', async () => {
    const before = filesUnder(path.join(ghost.contentDir, 'media')).length;
    const first = postIdOf(await view());
    // The team corrects Ben's transcript: the draft now quotes it (a machine one it never quotes).
    const corrected = await hallo.admin(
      `/api/admin/submissions/${ids.ben}/transcript`,
      json('PUT', { text: 'Moin aus Bremen!' }),
    );
    expect(corrected.status).toBe(200);
    const again = await sendAndWait();
    expect(postIdOf(again)).toBe(first);
    expect(filesUnder(path.join(ghost.contentDir, 'media'))).toHaveLength(before);
    const { nodes } = await readPost(first);
    const cards = nodes.filter((n) => n.type === 'audio');
    expect(cards).toHaveLength(2);
    const quote = nodes[nodes.indexOf(cards[0]!) + 1]!;
    expect(quote.type).toBe('quote');
    expect(quote.children!.map((c) => c.text).filter(Boolean)).toEqual(['Moin aus Bremen!']);
  }, 90_000);

  it('erasing a clip takes its card out of the draft at once', async () => {
    const postId = postIdOf(await view());
    const erased = await hallo.admin(`/api/admin/submissions/${ids.anna}`, { method: 'DELETE' });
    expect((await erased.json()).erased.draftsResent).toEqual([EPISODE]);
    await pollUntil(
      async () =>
        (await readPost(postId)).nodes.filter((n) => n.type === 'audio').map((n) => n.title),
      (titles) => titles.length === 1 && titles[0] === 'Ben Bremen',
      'draft without the erased clip',
      60_000,
    );
    expect(JSON.stringify((await readPost(postId)).nodes)).not.toContain('Liebe Grüße');
  }, 90_000);

  it('never writes the Admin API key, its secret or a token to the log', () => {
    const secret = ghost.adminApiKey.split(':')[1]!;
    const joined = logLines.join('\n');
    expect(joined).toContain('newsletter');
    expect(joined).not.toContain(secret);
    expect(joined).not.toMatch(/Ghost eyJ/);
  });
  describe('when Ghost refuses or is away', () => {
    const wrongKey = () => ({
      GHOST_URL: ghost.url,
      GHOST_ADMIN_API_KEY: `${ghost.adminApiKey.split(':')[0]}:${'ab'.repeat(32)}`,
    });
    const nobody = () => ({
      GHOST_URL: 'http://127.0.0.1:9',
      GHOST_ADMIN_API_KEY: `${'a'.repeat(24)}:${'b'.repeat(64)}`,
    });

    it.each([
      ['a wrong key', wrongKey, /Admin API key/],
      ['no Ghost at the address', nobody, /cannot be reached \(ECONNREFUSED\)/],
    ])(
      'says so in words after its retries: %s',
      async (_what, env, message) => {
        const other = await startHallo({ driver: 'disk', env: { ...env(), JOB_BACKOFF_MS: '5' } });
        try {
          const { one } = await sendMessages(other, [
            ['one', 'safari.mp4', { name: 'Eva', newsletter: 'true' }],
          ]);
          await approveForEpisode(other, [one!], EPISODE);
          const started = await other.admin(`${episodePath}/newsletter`, { method: 'POST' });
          expect(started.status).toBe(202);
          const failed = await pollUntil(
            async () => (await other.adminJson(episodePath)) as any,
            (v) => v.newsletter.state === 'failed',
            'failed draft',
            60_000,
          );
          expect(failed.newsletter.error).toMatch(message);
          expect(failed.newsletter.editorUrl).toBeUndefined();
          expect(other.tempFiles()).toEqual([]);
        } finally {
          await other.stop();
        }
      },
      120_000,
    );

    it('refuses a send with no Ghost set up, or with no clip allowed in the newsletter', async () => {
      for (const [env, code] of [
        [{}, 'GHOST_NOT_CONFIGURED'],
        [nobody(), 'NEWSLETTER_NO_CONSENT'],
      ] as const) {
        const other = await startHallo({ driver: 'disk', env });
        try {
          const { one } = await sendMessages(other, [['one', 'safari.mp4', { name: 'Eva' }]]);
          await approveForEpisode(other, [one!], EPISODE);
          const refused = await other.admin(`${episodePath}/newsletter`, { method: 'POST' });
          expect([refused.status, (await refused.json()).error.code]).toEqual([409, code]);
          expect((await other.adminJson(episodePath)).clips[0].newsletter).toBe(false);
        } finally {
          await other.stop();
        }
      }
    }, 120_000);
  });
});
