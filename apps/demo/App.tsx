// The storefront: every component family on one page, checkout as the critical path, and the rollout
// controls (visitor switcher, debug panel) an engineer uses to try the rollout.
import { useCallback, useRef, useState, useSyncExternalStore } from 'react';
import type { RolloutState } from 'token-rollout';
import { addToCart, type Cart, cartCount, removeFromCart } from './cart.js';
import { PRODUCTS, type Product } from './catalog.js';
import { Checkout } from './components/Checkout.js';
import { CompareTable } from './components/CompareTable.js';
import { DebugPanel } from './components/DebugPanel.js';
import { Header } from './components/Header.js';
import { InfoPopover } from './components/InfoPopover.js';
import { Newsletter } from './components/Newsletter.js';
import { Notice } from './components/Notice.js';
import { ProductGrid } from './components/ProductGrid.js';
import { QuickView } from './components/QuickView.js';
import { type Toast, Toasts } from './components/Toasts.js';
import { UserSwitcher } from './components/UserSwitcher.js';
import type { Identity } from './identity.js';

/** What the app needs from the rollout: its state for the debug panel, and conversions for checkout. */
export interface StoreRollout {
  getState(): RolloutState;
  subscribe(listener: () => void): () => void;
  trackConversion(name: string, value?: number): void;
}

/** The whole storefront page. */
export function App({
  rollout,
  identity,
  onSwitch,
}: {
  rollout: StoreRollout;
  /** Null while hydrating (the server does not know the visitor). */
  identity: Identity | null;
  onSwitch: (next: Identity) => void;
}) {
  const state = useSyncExternalStore(rollout.subscribe, rollout.getState, rollout.getState);
  const [cart, setCart] = useState<Cart>({});
  const [quickView, setQuickView] = useState<Product | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextToast = useRef(0);

  const toast = useCallback((text: string) => {
    const id = nextToast.current++;
    setToasts((list) => [...list.slice(-2), { id, text }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 3000);
  }, []);
  const add = (product: Product) => {
    setCart((current) => addToCart(current, product));
    toast(`${product.name} added to your cart`);
  };
  const pay = (amount: number) => {
    rollout.trackConversion('purchase', amount);
    setCart({});
    toast('Payment received');
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header
        cartItems={cartCount(cart)}
        onCart={() => document.getElementById('checkout')?.scrollIntoView({ behavior: 'smooth' })}
      />
      <div className="layout" id="main">
        <main className="content">
          <section className="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">Gear for the long way round</h1>
            <p className="lead">Light, repairable kit for multi-day walks. Free shipping over $150.</p>
            <div className="tr-feedback alert alert-warning">
              Winter sale: 15% off rain wear until Sunday. <InfoPopover />
            </div>
          </section>
          <ProductGrid products={PRODUCTS} onAdd={add} onQuickView={setQuickView} />
          <CompareTable products={PRODUCTS} />
          <Newsletter />
        </main>
        <aside className="sidebar">
          <Checkout
            cart={cart}
            products={PRODUCTS}
            onRemove={(id) => setCart((current) => removeFromCart(current, id))}
            onPay={pay}
          />
          <section className="tr-cards card panel" aria-labelledby="visitor-title">
            <h2 id="visitor-title">Try the rollout</h2>
            <UserSwitcher identity={identity} onSwitch={onSwitch} />
          </section>
          <DebugPanel state={state} />
        </aside>
      </div>
      <QuickView product={quickView} onAdd={add} onClose={() => setQuickView(null)} />
      <Toasts toasts={toasts} />
      <Notice />
    </>
  );
}
