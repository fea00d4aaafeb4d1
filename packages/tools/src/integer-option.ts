// Command-line integers (ports, limits) for the server CLIs: one rule and one message for all of them.

/** `text` as an integer from `min` to `max`, else an Error naming the option `--<name>` and the value. */
export function integerOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

/** A `--port` value: 0 (any free port) to 65535. */
export function portOption(text: string): number {
  return integerOption('port', text, 0, 65535);
}
