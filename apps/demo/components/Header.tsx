// The storefront's header and navigation (navigation family), with the theme and classic-look toggles.
import { useTokens } from 'token-rollout/react';

/** The site header: brand, navigation, cart count, theme toggle and the opt-out ("classic look") toggle. */
export function Header({ cartItems, onCart }: { cartItems: number; onCart: () => void }) {
  const { theme, setTheme, optedOut, setOptOut } = useTokens('navigation');
  const dark = theme === 'dark';
  return (
    <header className="tr-navigation site-header">
      <a className="brand" href="/" aria-label="Longway outfitters, home">
        Longway
      </a>
      <nav aria-label="Main">
        <ul className="nav-links">
          <li>
            <a href="#shop" aria-current="page">
              Shop
            </a>
          </li>
          <li>
            <a href="#compare">Compare</a>
          </li>
          <li>
            <a href="#checkout">Checkout</a>
          </li>
        </ul>
      </nav>
      <div className="header-actions">
        <label className="switch" title="Show the previous design of this site">
          <input
            type="checkbox"
            checked={optedOut}
            onChange={(event) => setOptOut(event.currentTarget.checked)}
            data-testid="opt-out"
          />
          <span>Classic look</span>
        </label>
        <button
          type="button"
          className="tr-buttons btn btn-ghost"
          aria-pressed={dark}
          onClick={() => void setTheme(dark ? 'light' : 'dark')}
          data-testid="theme-toggle"
        >
          {dark ? 'Light theme' : 'Dark theme'}
        </button>
        <button
          type="button"
          className="tr-buttons btn btn-secondary"
          onClick={onCart}
          data-testid="cart-button"
        >
          Cart <span className="tr-feedback badge badge-info">{cartItems}</span>
        </button>
      </div>
    </header>
  );
}
