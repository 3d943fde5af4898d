/** The Redis the integration tests use; every test isolates itself under its own key prefix. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
