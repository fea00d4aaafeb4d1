// The newsletter sign-up (forms family), with inline validation and a confirmation alert (feedback).
import { type FormEvent, useState } from 'react';

/** A one-field form: validates the address and confirms in an alert. */
export function Newsletter() {
  const [status, setStatus] = useState<'idle' | 'invalid' | 'done'>('idle');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get('email');
    setStatus(typeof email === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? 'done' : 'invalid');
  };
  return (
    <section className="section" aria-labelledby="news-title">
      <h2 id="news-title">Trail notes</h2>
      <form className="tr-forms form newsletter" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="news-email">Email</label>
          <input
            id="news-email"
            name="email"
            type="email"
            autoComplete="email"
            placeholder="you@example.com"
            aria-invalid={status === 'invalid'}
            aria-describedby="news-help"
          />
          <p id="news-help" className={status === 'invalid' ? 'help help-error' : 'help'}>
            {status === 'invalid' ? 'Enter an address like you@example.com.' : 'One letter a month. No spam.'}
          </p>
        </div>
        <label className="check">
          <input type="checkbox" name="gear" defaultChecked /> Gear reviews
        </label>
        <button type="submit" className="tr-buttons btn btn-secondary">
          Subscribe
        </button>
        <p className="tr-feedback alert alert-success" role="status" hidden={status !== 'done'}>
          Subscribed. See you on the trail.
        </p>
      </form>
    </section>
  );
}
