// What the server tells the page (in a JSON <script>, which needs no CSP nonce): the token manifest, where
// the tokens and the LaunchDarkly-compatible service live, and the nonce for the sheets the SDK adds.
import type { Assignment } from 'token-rollout';
import type { TokenManifest } from '../../tokens/manifest.js';
import type { Identity } from './identity.js';

/** The page's configuration, rendered by the server into `<script type="application/json" id="demo-config">`. */
export interface DemoPageConfig {
  /** LaunchDarkly client-side ID (environment) the local flag server accepts. */
  clientSideId: string;
  /** Origin of the flag server (LaunchDarkly's baseUri, streamUri and eventsUri). */
  flagOrigin: string;
  /** URL of the token manifest; file names in it are relative to this URL. */
  manifestUrl: string;
  manifest: TokenManifest;
  /** Where beacons go (the collector's POST /collect). */
  collectUrl: string;
  /** The CSP nonce of this response, for the stylesheets the SDK adds. */
  nonce: string;
  /** The visitor the server decided for: the browser rollout and LaunchDarkly context use the same. */
  identity: Identity;
  /** The server's decision, which the rollout starts from (`bootstrap`): no swap when the flags answer. */
  bootstrap: Assignment;
}

/** The element id of the config script. */
export const CONFIG_ELEMENT_ID = 'demo-config';

/** Serialises the config for an inline JSON script, escaping `<` so no `</script>` can end it early. */
export function serializePageConfig(config: DemoPageConfig): string {
  return JSON.stringify(config).replace(/</g, '\\u003c');
}
