// A popover (overlays family) using the native Popover API: no positioning library, no layout shift.

/** A "why this look?" button with an explanatory popover. */
export function InfoPopover() {
  return (
    <>
      <button type="button" className="tr-buttons btn btn-ghost btn-small" popoverTarget="look-info">
        Why this look?
      </button>
      <div id="look-info" popover="auto" className="tr-overlays popover">
        <p>
          We are rolling out a new design system region by region. Your look depends on your region, a stable
          random bucket and your choice of the classic look.
        </p>
      </div>
    </>
  );
}
