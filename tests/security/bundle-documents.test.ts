import { parse } from 'csv-parse/sync';
import MarkdownIt from 'markdown-it';
import { watchEventLoop } from '../support/event-loop-watchdog';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { openInCalc } from '../support/spreadsheet';
import { unzip } from '../support/unzip';

const HOSTILE = {
  name: '<img src=x onerror=alert(1)> **Eve**',
  topic: '[Preis](javascript:alert(1)) <!-- hide',
  message:
    'Hallo www.evil.example\n=1+1\n@SUM(A1:A2)\r\n+49 30 1234\n-2+3\n# Titel\n1. Liste\n<script>x()</script>\n&amp; `code`',
};
const TEAM_NOTE = 'gut\r=HYPERLINK("http://evil.example","klick")';

describe('what a listener typed stays text in the bundle’s CSV and show notes', () => {
  let hallo: Harness;
  let entries: Map<string, Buffer>;
  const watch = watchEventLoop();
  /** The service builds and streams the bundle under watch; reading it back is the test's work. */
  async function downloadBundle(): Promise<Map<string, Buffer>> {
    const bundle = await hallo.admin('/api/admin/bundle?episode=Folge%207');
    expect(bundle.status).toBe(200);
    const zip = Buffer.from(await bundle.arrayBuffer());
    return watch.unwatched(() => unzip(zip));
  }
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk' });
    const sent = await hallo.upload({
      audio: { path: fixture('speech.wav') },
      fields: { ...validFields, ...HOSTILE },
    });
    await hallo.waitForProcessing(sent.body.id, ['ready']);
    await hallo.admin(`/api/admin/submissions/${sent.body.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'approved', episode: 'Folge 7', note: TEAM_NOTE }),
    });
  });
  afterAll(() => hallo.stop());
  beforeEach(async () => {
    entries = await downloadBundle();
  });

  it('keeps one row per clip in a CSV parser, each line of a cell escaped', async () => {
    const rows = (await watch.unwatched(async () =>
      parse(entries.get('clips.csv')!, { bom: true, columns: true }),
    )) as Array<Record<string, string>>;
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row!.name).toBe(HOSTILE.name);
    expect(row!.note).toBe(
      // The intake stores line breaks as \n; the team note keeps its lone CR.
      "Hallo www.evil.example\n'=1+1\n'@SUM(A1:A2)\n'+49 30 1234\n'-2+3\n# Titel\n1. Liste\n<script>x()</script>\n&amp; `code`",
    );
    expect(row!.team_note).toBe('gut\r\'=HYPERLINK("http://evil.example","klick")');
  });

  it('runs no formula when LibreOffice Calc opens it', async () => {
    // Starting LibreOffice (a fork of this large test process) is the test's work, not the service's.
    const csv = entries.get('clips.csv')!.toString('utf8');
    const shown = parse(await watch.unwatched(() => openInCalc(csv)), {
      columns: true,
      relax_column_count: true,
    }) as Array<Record<string, string>>;
    expect(shown).toHaveLength(1);
    const cells = shown.flatMap((row) => [row.name, row.topic, row.note, row.team_note]);
    // =1+1 would show as 2, -2+3 as 1, a HYPERLINK as its label.
    expect(cells).not.toContain('2');
    expect(cells).not.toContain('1');
    expect(cells).not.toContain('klick');
    expect(shown[0]!.note).toContain("'=1+1");
  });

  it('renders show-notes.md as the same text, with no HTML, link or comment', async () => {
    const notes = entries.get('show-notes.md')!.toString('utf8');
    // A permissive renderer: raw HTML passed through, bare URLs linked as GFM does.
    const markdown = new MarkdownIt({ html: true, linkify: true });
    markdown.linkify.set({ fuzzyLink: false });
    const html = await watch.unwatched(async () => markdown.render(notes));
    expect(html).not.toMatch(/<img|<script|<a |<!--|<h[1-6]>Titel|<strong>Eve|<ol start/);
    // Exactly one list: the running order itself.
    expect(html.match(/<ol>|<ul>/g)).toEqual(['<ol>']);
    const text = html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    expect(text).toContain(HOSTILE.name);
    expect(text).toContain(HOSTILE.topic);
    for (const line of HOSTILE.message.split(/\r?\n/)) expect(text).toContain(line);
    expect(text).toContain('=HYPERLINK("http://evil.example","klick")');
  });
});
