// Product cards (cards family) with badges (feedback), buttons, and a quick-view modal (overlays).
import { formatPrice, type Product } from '../catalog.js';

const TAG_LABEL: Record<NonNullable<Product['tag']>, { text: string; tone: string }> = {
  new: { text: 'New', tone: 'badge-info' },
  sale: { text: 'Sale', tone: 'badge-success' },
  'low-stock': { text: 'Low stock', tone: 'badge-warning' },
};

/** The product cards; each can be added to the cart or opened in a quick view. */
export function ProductGrid({
  products,
  onAdd,
  onQuickView,
}: {
  products: readonly Product[];
  onAdd: (product: Product) => void;
  onQuickView: (product: Product) => void;
}) {
  return (
    <section id="shop" className="section" aria-labelledby="shop-title">
      <h2 id="shop-title">Featured gear</h2>
      <ul className="product-grid">
        {products.map((product) => {
          const tag = product.tag ? TAG_LABEL[product.tag] : null;
          return (
            <li key={product.id} className="tr-cards card" data-product={product.id}>
              <div className={`swatch swatch-${product.swatch}`} aria-hidden="true" />
              <div className="card-body">
                <h3 className="card-title">{product.name}</h3>
                <p className="card-meta">
                  <span className="price">{formatPrice(product.price)}</span>
                  {tag ? <span className={`tr-feedback badge ${tag.tone}`}>{tag.text}</span> : null}
                </p>
                <div className="card-actions">
                  <button
                    type="button"
                    className="tr-buttons btn btn-primary"
                    onClick={() => onAdd(product)}
                    data-testid={`add-${product.id}`}
                  >
                    Add to cart
                  </button>
                  <button
                    type="button"
                    className="tr-buttons btn btn-ghost"
                    onClick={() => onQuickView(product)}
                  >
                    Quick view
                  </button>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
