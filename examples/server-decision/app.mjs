// The page's script: the rollout starts from the server's decision (`bootstrap`) and adopts the token CSS
// the server put in the page (no request, no swap). This example reads the same flag value the server used;
// an app with LaunchDarkly passes `createLaunchDarklyFlagSource` (token-rollout/launchdarkly) instead, so
// later flag changes apply live.
import { createStaticFlagSource, createTokenRollout } from 'token-rollout';

const config = JSON.parse(document.getElementById('rollout-config').textContent);
const rollout = createTokenRollout({
  flags: createStaticFlagSource(config.flag),
  user: config.user,
  manifest: '/tokens/manifest.json',
  families: config.families,
  bootstrap: config.bootstrap,
  nonce: config.nonce,
});
rollout.ready.then((state) => {
  document.documentElement.dataset.rolloutArm = state.arm;
});
window.rollout = rollout;
