// token-rollout: the browser SDK. Pure decision core and browser effects; never imports Node code.
export { CRITICAL_FAMILIES, FAMILIES, type Family, FLAG_KEY, isFamily } from './families.js';
