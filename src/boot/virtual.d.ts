// Resolved by the rollup build (rollup.config.ts) and by vitest (vitest.config.ts) to the built snippet.
declare module 'virtual:boot-iife' {
  const iife: string;
  export default iife;
}
