// The checkout (checkout family, the critical path): cart lines, a delivery address and the pay button.
import { type FormEvent, useState } from 'react';
import { type Cart, cartLines, cartTotal } from '../cart.js';
import { formatPrice, type Product } from '../catalog.js';

/** The cart and the pay form; paying reports the conversion through `onPay` and empties the cart. */
export function Checkout({
  cart,
  products,
  onRemove,
  onPay,
}: {
  cart: Cart;
  products: readonly Product[];
  onRemove: (productId: string) => void;
  onPay: (amount: number) => void;
}) {
  const [paid, setPaid] = useState<number | null>(null);
  const lines = cartLines(cart, products);
  const total = cartTotal(cart, products);
  const pay = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (total <= 0) return;
    onPay(total);
    setPaid(total);
  };
  return (
    <section id="checkout" className="tr-checkout checkout" aria-labelledby="checkout-title">
      <h2 id="checkout-title">Your cart</h2>
      {lines.length === 0 ? (
        <p className="muted" data-testid="cart-empty">
          {paid === null ? 'Your cart is empty.' : 'Thank you!'}
        </p>
      ) : (
        <ul className="cart-lines">
          {lines.map(({ product, quantity }) => (
            <li key={product.id}>
              <span>
                {quantity} × {product.name}
              </span>
              <span className="price">{formatPrice(product.price * quantity)}</span>
              <button
                type="button"
                className="tr-buttons btn btn-ghost btn-small"
                onClick={() => onRemove(product.id)}
                aria-label={`Remove ${product.name}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="total">
        <span>Total</span> <strong data-testid="cart-total">{formatPrice(total)}</strong>
      </p>
      <form className="tr-forms form" onSubmit={pay}>
        <div className="field">
          <label htmlFor="ship-name">Name</label>
          <input id="ship-name" name="name" autoComplete="name" defaultValue="Sam Walker" />
        </div>
        <div className="field">
          <label htmlFor="ship-address">Delivery address</label>
          <input
            id="ship-address"
            name="address"
            autoComplete="street-address"
            defaultValue="12 Harbour St, Sydney"
          />
        </div>
        <button
          type="submit"
          className="tr-buttons btn btn-primary btn-block pay"
          disabled={total <= 0}
          data-testid="pay"
        >
          Pay {formatPrice(total)}
        </button>
      </form>
      <p className="tr-feedback alert alert-success" role="status" hidden={paid === null} data-testid="paid">
        Order placed: {formatPrice(paid ?? 0)}. A confirmation is on its way.
      </p>
    </section>
  );
}
