import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { monotonicFactory } from 'ulid';
import { assembleSubmission } from '../../src/submissions/submission';
import { SubmissionIndex } from '../../src/submissions/submission-index';
import { listenerDocument } from '../support/listener-document';
import { REDIS_URL } from '../support/redis-url';

const nextId = monotonicFactory();

describe('SubmissionIndex filters: episode, starred, topic, search, e-mail (real Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `hallo-test-${randomBytes(4).toString('hex')}`;
  const index = new SubmissionIndex(redis, prefix);
  const ids: string[] = [];
  const people = [
    { name: 'Jörg Müller', email: 'Joerg@Example.org', topic: 'Folge 12', message: 'Zum Wetter' },
    { name: 'Anna aus Berlin', email: 'anna@example.org', topic: 'Folge 12', message: 'Hallo!' },
    { name: 'Ben', email: 'joerg@example.org', message: 'Frage zur Technik' },
    { name: 'Cem', topic: 'folge 12' },
  ];

  beforeAll(async () => {
    for (const person of people) {
      const id = nextId();
      ids.push(id);
      await index.put(assembleSubmission(listenerDocument(id, person), undefined, undefined));
    }
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const listIds = async (query: Parameters<SubmissionIndex['list']>[0]) =>
    (await index.list(query)).items.map((item) => item.id);

  it('moves a submission between episode and starred sets as its review changes', async () => {
    const [joerg, anna, ben] = ids as [string, string, string];
    await index.setReview(joerg, { state: 'approved', starred: true, episode: 'Folge 12' });
    await index.setReview(anna, { state: 'approved', starred: false, episode: 'Folge 12' });
    await index.setReview(ben, { state: 'rejected', starred: true, episode: 'Folge 13' });
    expect(await listIds({ limit: 10, episode: 'Folge 12' })).toEqual([anna, joerg]);
    expect(await listIds({ limit: 10, starred: true })).toEqual([ben, joerg]);
    expect(await listIds({ limit: 10, starred: true, review: 'approved' })).toEqual([joerg]);
    expect(await listIds({ limit: 10, starred: false, review: 'approved' })).toEqual([anna]);
    expect(await listIds({ limit: 10, episode: 'Folge 12', starred: false })).toEqual([anna]);
    expect(await index.idsOfEpisode('Folge 12')).toEqual([joerg, anna]);

    await index.setReview(anna, { state: 'used', starred: false, episode: 'Folge 13' });
    expect(await listIds({ limit: 10, episode: 'Folge 12' })).toEqual([joerg]);
    expect(await listIds({ limit: 10, episode: 'Folge 13' })).toEqual([ben, anna]);
    expect(await listIds({ limit: 10, review: 'used' })).toEqual([anna]);
    const [item] = (await index.list({ limit: 1, review: 'used' })).items;
    expect(item).toMatchObject({ id: anna, review: 'used', starred: false, episode: 'Folge 13' });

    await index.setReview(ben, { state: 'new', starred: false });
    expect(await listIds({ limit: 10, episode: 'Folge 13' })).toEqual([anna]);
    expect(await listIds({ limit: 10, starred: true })).toEqual([joerg]);
  });

  it('searches name, e-mail, topic, message and team note, ignoring case and accents', async () => {
    const [joerg, anna, ben, cem] = ids as [string, string, string, string];
    expect(await listIds({ limit: 10, search: 'muller' })).toEqual([joerg]);
    expect(await listIds({ limit: 10, search: 'JOERG@example' })).toEqual([ben, joerg]);
    expect(await listIds({ limit: 10, search: 'hallo' })).toEqual([anna]);
    expect(await listIds({ limit: 10, search: 'frage technik' })).toEqual([ben]);
    expect(await listIds({ limit: 10, search: 'frage wetter' })).toEqual([]);
    expect(await listIds({ limit: 10, topic: 'FOLGE 12' })).toEqual([cem, anna, joerg]);

    await index.setReview(cem, { state: 'approved', starred: false, note: 'Für das Intro' });
    expect(await listIds({ limit: 10, search: 'intro' })).toEqual([cem]);
    expect(await listIds({ limit: 10, search: 'intro', review: 'rejected' })).toEqual([]);
  });

  it('pages through a filtered list with a cursor, without gaps or overlap', async () => {
    const first = await index.list({ limit: 1, topic: 'Folge 12' });
    const second = await index.list({ limit: 1, topic: 'Folge 12', cursor: first.nextCursor! });
    const third = await index.list({ limit: 1, topic: 'Folge 12', cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((i) => i.id)).toEqual([
      ids[3],
      ids[1],
      ids[0],
    ]);
    expect(third.nextCursor).toBeNull();
  });

  it('finds a listener by e-mail in any case, and forgets every trace on remove', async () => {
    const [joerg, , ben] = ids as [string, string, string];
    expect(await index.idsByEmail('JOERG@EXAMPLE.ORG')).toEqual([joerg, ben].sort());
    await index.setReview(joerg, { state: 'approved', starred: true, episode: 'Folge 12' });

    await index.remove(joerg);
    expect(await index.has(joerg)).toBe(false);
    expect(await index.idsByEmail('joerg@example.org')).toEqual([ben]);
    expect(await index.idsOfEpisode('Folge 12')).toEqual([]);
    expect(await listIds({ limit: 10, starred: true })).toEqual([]);
    expect(await listIds({ limit: 10 })).not.toContain(joerg);
    // Nothing of it in any key (ids are unique, so a member or hash with it would show).
    for (const key of await redis.keys(`${prefix}:*`)) {
      const type = await redis.type(key);
      if (type === 'zset') expect(await redis.zscore(key, joerg)).toBeNull();
      else expect(key).not.toContain(joerg);
    }
  });
});
