// Toasts (feedback family): fixed in a corner so they never shift the page's layout.

/** One toast message. */
export interface Toast {
  id: number;
  text: string;
}

/** The live region that shows the current toasts. */
export function Toasts({ toasts }: { toasts: readonly Toast[] }) {
  return (
    <div className="tr-feedback toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <p key={toast.id} className="toast">
          {toast.text}
        </p>
      ))}
    </div>
  );
}
