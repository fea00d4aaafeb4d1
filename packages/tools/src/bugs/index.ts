// P1 bug intake: the service the server mounts, the `token-rollout bug` command, and the bug's shape.
export { type Bug, type BugRecord, parseBugReport, type Severity } from './bug.js';
export { BUG_EXIT, type BugIo, runBugCli } from './cli.js';
export { BUG_LOG_FILE } from './log.js';
export { type BugService, type BugServiceOptions, createBugService } from './service.js';
