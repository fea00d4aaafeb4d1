// The one-time notice for users who get v2 (feedback family): fixed at the bottom, so it shifts nothing.
import { useTokens } from 'token-rollout/react';

/** Tells a v2 user about the new look and offers the classic one; dismissed once, remembered. */
export function Notice() {
  const { notice, dismissNotice, setOptOut } = useTokens('feedback');
  if (notice !== 'visible') return null;
  return (
    <aside className="tr-feedback alert alert-info notice" aria-label="New look" data-testid="notice">
      <p>
        <strong>We refreshed our look.</strong> Prefer how it was? You can switch back at any time.
      </p>
      <div className="notice-actions">
        <button type="button" className="tr-buttons btn btn-secondary" onClick={() => setOptOut(true)}>
          Use the classic look
        </button>
        <button type="button" className="tr-buttons btn btn-ghost" onClick={dismissNotice}>
          Got it
        </button>
      </div>
    </aside>
  );
}
