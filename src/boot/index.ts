// token-rollout/boot: the inline <head> snippet, prebuilt as a minified IIFE string.
import iife from 'virtual:boot-iife';

/** The boot snippet as a minified IIFE, ready to inline in a `<script>` in `<head>`. */
export const bootSnippet: string = iife;

/** The storage key under which the snippet reads the persisted theme. */
export const THEME_STORAGE_KEY = 'token-rollout:theme';
