// A first visit decided on the server, with the page's critical token CSS inlined (README "Server-side
// decision"): read the user from the request, decide with the SDK's core, render the tags.
export {
  createServerDecider,
  type DecideOptions,
  type ServerDecider,
  type ServerDeciderOptions,
  type ServerDecision,
} from './decide.js';
export {
  contextOf,
  type FlagServerFlagsOptions,
  flagServerFlags,
  type LaunchDarklyServerClient,
  launchDarklyServerFlags,
  type ServerFlags,
  type ServerFlagValues,
  staticServerFlags,
} from './flags.js';
export { type IdentitySource, parseCookies, readServerUser, type ServerUser } from './identity.js';
