/**
 * The uploads this API process is receiving, by client group: how many are really moving (for
 * the per-client concurrency cap) and which are too slow to finish (to cut them).
 *
 * Only an upload that moved at least a second's worth of the minimum rate within the last
 * ACTIVE_WINDOW_MS counts against its client's cap. Connections left open and crawling (a bad
 * network, or on purpose: one byte every few seconds) therefore never lock the rest of a
 * household or a carrier's NAT out; the rate rule cuts them. Counted per process, not in Redis:
 * the cap is about connections held open here, and a crashed process holds none.
 */
export const ACTIVE_WINDOW_MS = 5_000;

export interface TrafficRules {
  /** Moving uploads per client group; 0 turns the cap off. */
  maxActivePerGroup: number;
  /** Below this rate, measured over `graceMs`, an upload is too slow; 0 turns the check off. */
  minBytesPerSecond: number;
  graceMs: number;
}

interface Upload {
  group: string;
  bytes: number;
  /** Bytes moved in the previous and the current activity window, and when the current began. */
  activity: { previous: number; current: number; since: number };
  /** The rate rule's window: its start and the byte count then. */
  rate: { since: number; bytes: number };
}

export class UploadTraffic {
  private readonly uploads = new Map<object, Upload>();

  constructor(
    private readonly rules: TrafficRules,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many uploads are in flight here (for /metrics). */
  get size(): number {
    return this.uploads.size;
  }

  /** Uploads of a group that moved a second's worth of the minimum rate lately. */
  activeIn(group: string): number {
    const enough = Math.max(1, this.rules.minBytesPerSecond);
    let n = 0;
    for (const u of this.uploads.values()) {
      if (u.group !== group) continue;
      this.roll(u);
      if (Math.max(u.activity.previous, u.activity.current) >= enough) n++;
    }
    return n;
  }

  /** Starts tracking `key` unless its group is at its cap; false means refuse it. */
  admit(key: object, group: string, { capped = true } = {}): boolean {
    const cap = this.rules.maxActivePerGroup;
    if (capped && cap > 0 && this.activeIn(group) >= cap) return false;
    const at = this.now();
    this.uploads.set(key, {
      group,
      bytes: 0,
      activity: { previous: 0, current: 0, since: at },
      rate: { since: at, bytes: 0 },
    });
    return true;
  }

  received(key: object, bytes: number): void {
    const u = this.uploads.get(key);
    if (!u) return;
    this.roll(u);
    u.bytes += bytes;
    u.activity.current += bytes;
  }

  /**
   * Whether an upload has, over its last full measuring window, moved fewer bytes than the
   * minimum rate asks. Each call past a window's end starts the next window.
   */
  tooSlow(key: object): boolean {
    const u = this.uploads.get(key);
    const { minBytesPerSecond, graceMs } = this.rules;
    if (!u || minBytesPerSecond === 0) return false;
    const at = this.now();
    if (at - u.rate.since < graceMs) return false;
    const rate = ((u.bytes - u.rate.bytes) * 1000) / (at - u.rate.since);
    u.rate = { since: at, bytes: u.bytes };
    return rate < minBytesPerSecond;
  }

  finish(key: object): void {
    this.uploads.delete(key);
  }

  private roll(u: Upload): void {
    const at = this.now();
    const windows = Math.floor((at - u.activity.since) / ACTIVE_WINDOW_MS);
    if (windows === 0) return;
    u.activity = {
      previous: windows === 1 ? u.activity.current : 0,
      current: 0,
      since: u.activity.since + windows * ACTIVE_WINDOW_MS,
    };
  }
}
