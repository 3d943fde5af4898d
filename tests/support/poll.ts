/** Reads until `accept` says yes, every 50 ms; throws with the last value after `timeoutMs`. */
export async function pollUntil<T>(
  read: () => Promise<T | null>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} never matched: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
