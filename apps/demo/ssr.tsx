// Server rendering of the storefront: the HTML the page is painted with before any script runs, so the
// first and the largest contentful paints do not wait for the app's JavaScript.
import { renderToString } from 'react-dom/server';
import { Root } from './Root.js';

/** The storefront's markup in its server state (hydrated by demo/main.tsx). */
export function renderStorefront(): string {
  return renderToString(<Root rollout={null} identity={null} onSwitch={() => {}} />);
}
