// token-rollout/node: the Node side (flag server, collector, gate). Never imported by browser entries.
export { FAMILIES, type Family, FLAG_KEY } from '../src/families.js';
