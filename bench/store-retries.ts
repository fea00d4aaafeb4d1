// The store benchmark's retry run: clients that send every batch twice (and a quarter of them a third time,
// grown by newer events, as the SDK requeues a failed batch), then a kill -9 of the collector while 20
// clients load it, a restart, and every client retrying what was not answered. Returns the ids that were
// acknowledged, for the audit of the store afterwards.
import type { CollectorChild } from '../test-support/collector/spawn-collector.js';
import { batchOf, bodyOf, post, postBody } from './store-load.js';

const CLIENTS = 20;

/** POSTs a batch; its status and how many of its events the collector already had (`known`). */
async function postCounting(
  url: string,
  events: ReturnType<typeof batchOf>,
): Promise<{ status: number; known: number }> {
  const { status, text } = await postBody(url, bodyOf(events));
  if (status !== 200) return { status, known: 0 };
  return { status, known: (JSON.parse(text) as { known?: number }).known ?? 0 };
}

/** Runs both parts against `child` (which it kills); resolves with the restarted collector. */
export async function retryRun(
  child: CollectorChild,
  restart: () => Promise<CollectorChild>,
): Promise<{ child: CollectorChild; acked: Set<string>; summary: Record<string, number> }> {
  const acked = new Set<string>();
  const ack = (events: readonly { id: string }[]) => {
    for (const e of events) acked.add(e.id);
  };
  let sentTwice = 0;
  let grown = 0;
  let recognised = 0;
  const end = performance.now() + 4000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let b = 0; performance.now() < end; b++) {
        const batch = batchOf(3, c, b, 50);
        if ((await postCounting(child.url, batch)).status === 200) ack(batch);
        const again = await postCounting(child.url, batch);
        recognised += again.known;
        sentTwice++;
        if (b % 4 === 0) {
          const newer = batchOf(3, c, 100_000 + b, 10);
          const answer = await postCounting(child.url, [...batch, ...newer]);
          if (answer.status === 200) ack(newer);
          recognised += answer.known;
          grown++;
        }
      }
    }),
  );

  // kill -9 while 20 clients load; each keeps the batch that got no answer.
  const pending: (ReturnType<typeof batchOf> | null)[] = Array.from({ length: CLIENTS }, () => null);
  let killed = false;
  const loading = Promise.all(
    pending.map(async (_, c) => {
      for (let b = 0; !killed; b++) {
        const batch = pending[c] ?? batchOf(4, c, b, 50);
        pending[c] = batch;
        if ((await post(child.url, batch)) !== 200) return;
        ack(batch);
        pending[c] = null;
      }
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 2000));
  child.child.kill('SIGKILL');
  await child.exited;
  killed = true;
  await loading;
  const inFlight = pending.filter((p) => p !== null).length;
  const next = await restart();
  let retriedRecognised = 0;
  await Promise.all(
    pending.map(async (batch, c) => {
      if (batch) {
        const answer = await postCounting(next.url, batch);
        if (answer.status === 200) ack(batch);
        retriedRecognised += answer.known;
      }
      for (let b = 0; b < 2; b++) {
        const more = batchOf(5, c, b, 50);
        if ((await post(next.url, more)) === 200) ack(more);
      }
    }),
  );
  return {
    child: next,
    acked,
    summary: {
      batchesSentTwice: sentTwice,
      grownRetries: grown,
      eventsRecognisedAsRetries: recognised,
      requestsCutByKill: inFlight,
      eventsRecognisedAfterRestart: retriedRecognised,
      ackedEvents: acked.size,
    },
  };
}
