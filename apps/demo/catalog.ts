// The storefront's products: a fixed catalogue, so pages, screenshots and simulated sessions are repeatable.

/** One product on sale. `swatch` picks a token-coloured placeholder instead of an image (no layout shift). */
export interface Product {
  id: string;
  name: string;
  price: number;
  rating: number;
  stock: number;
  weightKg: number;
  warrantyYears: number;
  tag?: 'new' | 'sale' | 'low-stock';
  swatch: 'accent' | 'success' | 'warning' | 'info';
}

/** The catalogue, in display order. */
export const PRODUCTS: readonly Product[] = [
  {
    id: 'trail-pack',
    name: 'Trail pack 28 L',
    price: 129,
    rating: 4.7,
    stock: 42,
    weightKg: 0.9,
    warrantyYears: 5,
    tag: 'new',
    swatch: 'accent',
  },
  {
    id: 'hut-stove',
    name: 'Hut stove',
    price: 89,
    rating: 4.4,
    stock: 7,
    weightKg: 0.3,
    warrantyYears: 2,
    tag: 'low-stock',
    swatch: 'warning',
  },
  {
    id: 'ridge-tent',
    name: 'Ridge tent 2P',
    price: 349,
    rating: 4.8,
    stock: 15,
    weightKg: 1.6,
    warrantyYears: 10,
    swatch: 'success',
  },
  {
    id: 'tide-jacket',
    name: 'Tide rain jacket',
    price: 179,
    rating: 4.5,
    stock: 23,
    weightKg: 0.4,
    warrantyYears: 3,
    tag: 'sale',
    swatch: 'info',
  },
];

/** Formats an amount in the store's currency. */
export function formatPrice(amount: number): string {
  return `$${amount.toFixed(2)}`;
}
