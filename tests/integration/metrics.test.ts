import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

const TOKEN = 'metrics-token-0123456789';

describe('GET /metrics', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => hallo?.stop());

  const scrape = async () => {
    const response = await fetch(`${hallo.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('is behind its token', async () => {
    expect((await fetch(`${hallo.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${hallo.url}/metrics`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('counts uploads by outcome, bytes, processing, queues and HTTP latency by route', async () => {
    const sent = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: validFields,
    });
    expect(sent.status).toBe(201);
    await hallo.upload({ audio: { path: fixture('silent.webm') }, fields: validFields });
    await hallo.upload({ audio: { path: fixture('text.txt') }, fields: validFields });
    await hallo.waitForProcessing(sent.body.id, ['ready']);
    // The job observes its time after it has written `ready`: look again for a moment.
    let text = await scrape();
    for (let i = 0; i < 50 && !/^hallo_processing_seconds_count 1$/m.test(text); i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = await scrape();
    }
    expect(text).toMatch(/^hallo_uploads_total\{outcome="accepted"\} 1$/m);
    expect(text).toMatch(/^hallo_uploads_total\{outcome="AUDIO_SILENT"\} 1$/m);
    expect(text).toMatch(/^hallo_uploads_total\{outcome="UNSUPPORTED_AUDIO_FORMAT"\} 1$/m);
    expect(Number(/^hallo_upload_bytes_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(10_000);
    expect(text).toMatch(/^hallo_processing_seconds_count 1$/m);
    expect(text).toMatch(/^hallo_queue_jobs\{queue="transcode",state="waiting"\} 0$/m);
    expect(text).toMatch(/^hallo_queue_oldest_waiting_seconds\{queue="transcode"\} 0$/m);
    // Routes by pattern, never by id.
    expect(text).toContain(
      'hallo_http_request_duration_seconds_count{method="GET",route="/api/admin/submissions/:id",status="200"}',
    );
    expect(text).not.toContain(sent.body.id);
    expect(text).toMatch(/^hallo_process_resident_memory_bytes \d+/m);
    const lag = Number(/^hallo_event_loop_lag_seconds ([\d.e-]+)$/m.exec(text)?.[1]);
    expect(lag).toBeGreaterThan(0);
    expect(lag).toBeLessThan(5);
    // A stall of the loop (this process runs the API) shows in the next scrape.
    const until = Date.now() + 300;
    while (Date.now() < until);
    const after = await scrape();
    expect(Number(/^hallo_event_loop_lag_seconds ([\d.e-]+)$/m.exec(after)?.[1])).toBeGreaterThan(
      0.25,
    );
  });
});
