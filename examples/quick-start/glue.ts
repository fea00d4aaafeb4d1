// What the README's quick start takes as given, in the browser: the app's LaunchDarkly client (pointed at
// the local flag server, `npx token-rollout serve`), the signed-in user and the page's CSP nonce. The
// example's server (server.ts) puts the flag server's URL and the user in the page.
import { createClient } from '@launchdarkly/js-client-sdk';

interface PageConfig {
  flagServer: string;
  user: { id: string; country: string };
}

const config = JSON.parse(document.getElementById('quick-start-config')?.textContent ?? '{}') as PageConfig;

/** The app's user, as the app knows it. */
export const user = config.user;

/** The CSP nonce of this page: the one on the script tags the server wrote (readable as a property only). */
export const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';

/** The app's LaunchDarkly client; the rollout's flag source starts it. */
export const ldClient = createClient(
  'quick-start',
  { kind: 'user', key: user.id, country: user.country },
  { baseUri: config.flagServer, streamUri: config.flagServer, eventsUri: config.flagServer },
);
