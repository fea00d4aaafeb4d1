// The quick-view modal (overlays family), a native <dialog> so focus and Escape work without a library.
import { useEffect, useRef } from 'react';
import { formatPrice, type Product } from '../catalog.js';

/** Shows one product in a modal dialog; closing (button, Escape, backdrop) calls `onClose`. */
export function QuickView({
  product,
  onAdd,
  onClose,
}: {
  product: Product | null;
  onAdd: (product: Product) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (product && !dialog.open) dialog.showModal();
    if (!product && dialog.open) dialog.close();
  }, [product]);
  return (
    <dialog
      ref={ref}
      className="tr-overlays modal"
      aria-labelledby="quick-view-title"
      onClose={onClose}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      {product ? (
        <div className="modal-body">
          <div className={`swatch swatch-${product.swatch}`} aria-hidden="true" />
          <h2 id="quick-view-title">{product.name}</h2>
          <p>
            {formatPrice(product.price)} · rated {product.rating.toFixed(1)} · {product.weightKg} kg ·{' '}
            {product.warrantyYears}-year warranty
          </p>
          <div className="modal-actions">
            <button
              type="button"
              className="tr-buttons btn btn-primary"
              onClick={() => {
                onAdd(product);
                onClose();
              }}
            >
              Add to cart
            </button>
            <button type="button" className="tr-buttons btn btn-ghost" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
