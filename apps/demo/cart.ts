// The cart as pure data: the checkout (the critical path) renders it and pays its total.
import type { Product } from './catalog.js';

/** Quantities per product id. */
export type Cart = Readonly<Record<string, number>>;

/** The cart with one more of `product`. */
export function addToCart(cart: Cart, product: Product): Cart {
  return { ...cart, [product.id]: (cart[product.id] ?? 0) + 1 };
}

/** The cart without `productId`. */
export function removeFromCart(cart: Cart, productId: string): Cart {
  const { [productId]: _removed, ...rest } = cart;
  return rest;
}

/** The cart's lines with their products, in catalogue order. */
export function cartLines(
  cart: Cart,
  products: readonly Product[],
): { product: Product; quantity: number }[] {
  return products.flatMap((product) => {
    const quantity = cart[product.id] ?? 0;
    return quantity > 0 ? [{ product, quantity }] : [];
  });
}

/** The amount to pay for the cart. */
export function cartTotal(cart: Cart, products: readonly Product[]): number {
  return cartLines(cart, products).reduce((sum, line) => sum + line.product.price * line.quantity, 0);
}

/** The number of items in the cart. */
export function cartCount(cart: Cart): number {
  return Object.values(cart).reduce((sum, n) => sum + n, 0);
}
