// The gallery's components, one function per family, as HTML strings. Every component root carries
// `tr-<family>` (the v1 monolith scopes its tokens to it); the look comes from components.css, which
// uses only `var(--tr-…)` tokens. States (hover, focus, error…) are static classes so screenshots are
// deterministic. `i` keeps ids unique when the content repeats.
import type { Family } from 'token-rollout/core';

const ICON_CHECK =
  '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" stroke-width="2"/></svg>';
const ICON_INFO =
  '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 7v4M8 4.5v.5" stroke="currentColor" stroke-width="1.5"/></svg>';
const ICON_LOCK =
  '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor"/><path d="M5 7V5a3 3 0 016 0v2" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>';
const ICON_SORT =
  '<svg class="icon icon--sm" viewBox="0 0 16 16" aria-hidden="true"><path d="M5 6l3-3 3 3M5 10l3 3 3-3" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>';

function buttons(): string {
  const variants = ['primary', 'secondary', 'tertiary', 'danger'] as const;
  const states = ['', 'is-hover', 'is-active', 'is-focus'] as const;
  const rows = variants
    .map(
      (variant) =>
        `<div class="row">${states
          .map(
            (state) =>
              `<button type="button" class="tr-buttons button button--${variant} button--md ${state}">${variant}${state ? ` ${state.slice(3)}` : ''}</button>`,
          )
          .join(
            '',
          )}<button type="button" class="tr-buttons button button--${variant} button--md" disabled>disabled</button></div>`,
    )
    .join('');
  const sizes = (['sm', 'md', 'lg'] as const)
    .map(
      (size) =>
        `<button type="button" class="tr-buttons button button--primary button--${size}">${ICON_CHECK}Size ${size}</button>`,
    )
    .join('');
  return `${rows}<div class="row">${sizes}<div class="tr-buttons button-group" role="group"><button type="button" class="button button--secondary button--sm is-active">Day</button><button type="button" class="button button--secondary button--sm">Week</button><button type="button" class="button button--secondary button--sm">Month</button></div></div>`;
}

function cards(i: number): string {
  const card = (title: string, body: string, extra = '') =>
    `<article class="tr-cards card ${extra}"><div class="card__media"></div><p class="card__eyebrow">Collection ${i + 1}</p><h3 class="card__title">${title}</h3><p class="card__body">${body}</p><footer class="card__footer"><span>Updated today</span><a href="#c${i}">Open</a></footer></article>`;
  return `<div class="grid">${card('Starter plan', 'Everything a small team needs to ship a design system.')}${card('Team plan', 'Shared libraries, review flows and release notes.', 'is-hover')}${card('Enterprise', 'Audit logs, SSO and a named support engineer.', 'is-selected')}</div>`;
}

function forms(i: number): string {
  return `<form class="tr-forms form" onsubmit="return false">
<div class="field"><label class="label" for="name-${i}">Full name <span class="label__required">*</span></label><input class="input" id="name-${i}" value="Ada Lovelace"><p class="help">As it appears on your card.</p></div>
<div class="field"><label class="label" for="email-${i}">Email</label><input class="input is-focus" id="email-${i}" placeholder="you@example.com"></div>
<div class="field"><label class="label" for="zip-${i}">Postcode</label><input class="input is-error" id="zip-${i}" value="ABC" aria-invalid="true"><p class="error">Enter a 4-digit postcode.</p></div>
<div class="field"><label class="label" for="org-${i}">Organisation</label><input class="input" id="org-${i}" value="Read only" disabled></div>
<div class="field"><label class="label" for="city-${i}">City</label><input class="input is-hover" id="city-${i}" value="Hobart"></div>
<div class="field"><label class="label" for="plan-${i}">Plan</label><div class="select"><select class="input" id="plan-${i}"><option>Team</option><option>Starter</option></select><span class="select__icon">${ICON_SORT}</span></div></div>
<div class="field"><label class="label" for="notes-${i}">Notes</label><textarea class="input textarea" id="notes-${i}" rows="3">Deliver after 5 pm.</textarea></div>
<div class="field field--inline"><span class="checkbox is-checked">${ICON_CHECK}</span><span>Email me receipts</span><span class="checkbox"></span><span>Newsletter</span></div>
<div class="field field--inline"><span class="switch is-checked"><span class="switch__thumb"></span></span><span>Dark mode follows system</span><span class="switch"><span class="switch__thumb"></span></span><span>Compact</span></div>
</form>`;
}

function tables(): string {
  const rows = [
    ['INV-1042', 'Northwind', 'Paid', '1,280.00'],
    ['INV-1043', 'Contoso', 'Due', '640.50'],
    ['INV-1044', 'Fabrikam', 'Overdue', '2,310.00'],
    ['INV-1045', 'Tailspin', 'Paid', '95.00'],
    ['INV-1046', 'Litware', 'Draft', '410.75'],
  ];
  const body = rows
    .map(
      (r, k) =>
        `<tr class="${k === 1 ? 'is-hover' : k === 3 ? 'is-selected' : ''}"><td>${r[0]}</td><td>${r[1]}</td><td class="muted">${r[2]}</td><td class="numeric">${r[3]}</td></tr>`,
    )
    .join('');
  return `<div class="tr-tables table-wrap"><table class="table"><caption>Recent invoices</caption><thead><tr><th>Invoice ${ICON_SORT}</th><th>Customer</th><th>Status</th><th class="numeric">Amount</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

function navigation(i: number): string {
  return `<nav class="tr-navigation navbar" aria-label="Main ${i}"><span class="navbar__brand">Acme</span><a class="nav-link is-active" href="#n${i}">Dashboard</a><a class="nav-link is-hover" href="#n${i}">Projects</a><a class="nav-link" href="#n${i}">Reports</a></nav>
<div class="tr-navigation tabs" role="tablist"><button type="button" role="tab" class="tab is-active" aria-selected="true">Overview</button><button type="button" role="tab" class="tab">Activity</button><button type="button" role="tab" class="tab">Settings</button></div>
<ol class="tr-navigation breadcrumbs"><li><a href="#n${i}">Home</a></li><li><a href="#n${i}">Invoices</a></li><li aria-current="page">INV-1044</li></ol>
<div class="tr-navigation pagination"><a href="#n${i}">1</a><a href="#n${i}" class="is-active">2</a><a href="#n${i}">3</a><a href="#n${i}">4</a></div>`;
}

function feedback(): string {
  const alert = (kind: string, title: string, text: string) =>
    `<div class="tr-feedback alert alert--${kind}" role="status"><span class="alert__icon">${ICON_INFO}</span><div><p class="alert__title">${title}</p><p>${text}</p></div></div>`;
  const badges = ['neutral', 'brand', 'success', 'warning', 'danger']
    .map((kind) => `<span class="tr-feedback badge badge--${kind}">${kind}</span>`)
    .join('');
  return `${alert('info', 'Heads up', 'A new version of the design tokens is rolling out.')}${alert('success', 'Saved', 'Your changes were published.')}${alert('warning', 'Almost full', 'You have used 90% of your storage.')}${alert('danger', 'Payment failed', 'Your card was declined.')}
<div class="row">${badges}</div>
<div class="tr-feedback progress" role="progressbar" aria-valuenow="62"><div class="progress__fill"></div></div>
<div class="row"><div class="tr-feedback toast" role="status">${ICON_CHECK}<span>Invoice sent to Contoso</span></div><span class="tr-feedback spinner" aria-label="Loading"></span></div>`;
}

function overlays(i: number): string {
  return `<div class="overlay-stage"><div class="tr-overlays scrim"></div><div class="tr-overlays modal" role="dialog" aria-labelledby="modal-title-${i}"><h3 class="modal__title" id="modal-title-${i}">Delete project?</h3><p class="modal__body">This removes the project and its 14 token sets. This cannot be undone.</p><div class="modal__actions"><span class="modal__hint">Press Esc to cancel</span></div></div></div>
<div class="row row--overlays"><div class="tr-overlays popover" role="dialog"><p class="popover__title">Share</p><p>Anyone with the link can view.</p></div><span class="anchor">Hover me<span class="tr-overlays tooltip" role="tooltip">Copied to clipboard</span></span></div>`;
}

function checkout(i: number): string {
  const line = (name: string, price: string, muted = '') =>
    `<li class="checkout__line"><span>${name}${muted ? ` <span class="checkout__muted">${muted}</span>` : ''}</span><span>${price}</span></li>`;
  return `<section class="tr-checkout checkout" aria-labelledby="checkout-${i}"><h3 id="checkout-${i}" class="checkout__heading">Order summary</h3><ul class="checkout__lines">${line('Design system seat', '$96.00', '× 4')}${line('Token pipeline add-on', '$24.00')}${line('Shipping', '$0.00', 'Free')}<li class="checkout__line checkout__discount"><span>Promo SPRING</span><span>−$12.00</span></li></ul>
<div class="checkout__promo"><span>Promo code</span><span class="checkout__promo-code">SPRING</span></div>
<div class="checkout__total"><span>Total</span><span>$108.00</span></div>
<button type="button" class="checkout__pay">${ICON_LOCK}Pay $108.00</button><button type="button" class="checkout__pay is-hover">Pay with saved card</button><button type="button" class="checkout__pay is-active">Processing…</button>
<p class="checkout__error">Your card was declined. Try another card.</p>
<p class="checkout__secure">${ICON_LOCK}Payments are encrypted</p></section>`;
}

const RENDER: Record<Family, (i: number) => string> = {
  buttons,
  cards,
  forms,
  tables,
  navigation,
  feedback,
  overlays,
  checkout,
};

/** The HTML of one family's section (repetition `i`). */
export function renderFamily(family: Family, i: number): string {
  return `<section class="gallery-section" data-family="${family}"><h2 class="gallery-section__title">${family}</h2>${RENDER[family](i)}</section>`;
}

/** The whole gallery body: the chosen families, repeated `repeat` times. */
export function renderGallery(families: readonly Family[], repeat: number): string {
  let html = '';
  for (let i = 0; i < repeat; i++) {
    html += `<div class="gallery-repeat" data-repeat="${i}">${families.map((f) => renderFamily(f, i)).join('')}</div>`;
  }
  return html;
}
