// The demo's entry: hydrates the server-rendered store at once, then loads the LaunchDarkly SDK (its own
// chunk), creates the flag source and the rollout with monitoring, and hands the rollout to the store.
// Each step runs in its own task, so the main thread is never blocked for long (Lighthouse's TBT).
// It imports the SDK through its public entry points, exactly as an app team would.
import { startTransition } from 'react';
import { hydrateRoot, type Root as ReactRoot } from 'react-dom/client';
import {
  beaconReporter,
  createTokenRollout,
  FAMILIES,
  launchDarklyReporter,
  monitoring,
} from 'token-rollout';
import { createLaunchDarklyFlagSource } from 'token-rollout/launchdarkly';
import { type Identity, loadStoredIdentity, mirrorOptOut, readIdentity, saveIdentity } from './identity.js';
import type { TokenRollout } from './initial-state.js';
import { CONFIG_ELEMENT_ID, type DemoPageConfig } from './page-config.js';
import { Root } from './Root.js';
import { injectRegression, regressionFrom } from './regress.js';

const config = JSON.parse(document.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '{}') as DemoPageConfig;
// The server decided for this visitor (URL, cookies or a new guest): the rollout must use the same user.
const identity = config.identity ?? readIdentity(location.search, loadStoredIdentity(), Math.random);
saveIdentity(identity);

/** Lets the browser paint and handle input before the next step. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Switching visitor reloads the store as that visitor: a new LaunchDarkly context and a new bucket. */
function switchVisitor(next: Identity): void {
  saveIdentity(next);
  const url = new URL(location.href);
  url.searchParams.delete('user');
  url.searchParams.delete('region');
  location.assign(url);
}

async function createRollout(): Promise<TokenRollout> {
  const { createClient } = await import('@launchdarkly/js-client-sdk');
  const client = createClient(
    config.clientSideId,
    { kind: 'user', key: identity.key, region: identity.region },
    {
      baseUri: config.flagOrigin,
      streamUri: config.flagOrigin,
      eventsUri: config.flagOrigin,
      streaming: true,
    },
  );
  await nextTask();
  const flags = createLaunchDarklyFlagSource({ client, timeoutMs: 4000, storage: localStorage });
  return createTokenRollout({
    flags,
    user: identity,
    manifest: config.manifest,
    tokenBase: config.manifestUrl,
    families: FAMILIES,
    // The server's decision: the rollout adopts the token CSS the server put in the page, no swap.
    bootstrap: config.bootstrap,
    nonce: config.nonce,
    plugins: [
      monitoring({
        userKey: identity.key,
        manifest: config.manifest,
        reporters: [beaconReporter({ url: config.collectUrl, window }), launchDarklyReporter(flags)],
      }),
    ],
  });
}

/** The simulator's `--regress`: break v2 pages only (see regress.ts), once the decision is known. */
function watchForRegression(rollout: TokenRollout): void {
  const regression = regressionFrom(location.search);
  if (!regression) return;
  const isV2 = () => rollout.getState().arm !== 'v1';
  void rollout.ready.then(() => injectRegression(regression, isV2));
}

async function main(): Promise<void> {
  const container = document.getElementById('app');
  if (!container) return;
  let root: ReactRoot | undefined;
  // Hydrate as a transition: React yields to the browser every few ms instead of one long task.
  startTransition(() => {
    root = hydrateRoot(container, <Root rollout={null} identity={identity} onSwitch={switchVisitor} />);
  });
  await nextTask();
  const rollout = await createRollout();
  // The server decides the next page: it must know about an opt-out made here.
  rollout.subscribe((state) => mirrorOptOut(state.optedOut));
  mirrorOptOut(rollout.getState().optedOut);
  watchForRegression(rollout);
  startTransition(() =>
    root?.render(<Root rollout={rollout} identity={identity} onSwitch={switchVisitor} />),
  );
}

void main();
