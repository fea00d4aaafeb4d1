// The local LaunchDarkly-compatible flag server: service (to mount in another server) and standalone.
export type { AdminChange, AdminError, FlagState, StageState } from './admin.js';
export { applyAdminChange, flagState } from './admin.js';
export { serveFlagsCli } from './cli.js';
export type { FlagDefinition } from './definitions.js';
export { FlagDefinitionError, loadFlagDefinitions } from './definitions.js';
export type { FlagServer, FlagServerOptions } from './server.js';
export { startFlagServer } from './server.js';
export type { FlagService, FlagServiceOptions } from './service.js';
export { createFlagService } from './service.js';
