// The example's browser entry: the README's steps 3 and 4 (dist/readme/, from extract.ts) run as written.
import './dist/readme/theme-toggle.js';
