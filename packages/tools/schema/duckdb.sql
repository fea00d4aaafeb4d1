-- token-rollout event store, DuckDB (the embedded default: one file, `<data>/events.duckdb`).
-- One row per metric event, as src/metrics/event.ts defines it (ARCHITECTURE.md "The event contract").
-- A pipeline of your own (LaunchDarkly Data Export, your beacon pipeline) can fill this table and the
-- gate reads it the same way: `token-rollout gate --store duckdb:/path/events.duckdb`.
CREATE TABLE IF NOT EXISTS events (
  id             VARCHAR NOT NULL,  -- the event's id; the gate counts each id once
  batch          VARCHAR NOT NULL,  -- the batch it arrived in (a hash of its event ids)
  name           VARCHAR NOT NULL,  -- fcp, lcp, inp, cls, ttfb, theme-switch, js-error, conversion, ...
  value_num      DOUBLE,            -- the value of a numeric metric
  value_text     VARCHAR,           -- the reason of a `fallback`
  arm            VARCHAR NOT NULL,  -- what the page rendered: v1, v2, mixed
  assignment     VARCHAR,           -- treatment, control, ineligible (NULL from SDKs before assignment)
  bucket         DOUBLE,            -- the user's bucket in [0, 1)
  family         VARCHAR,
  stage          VARCHAR,
  config_version VARCHAR NOT NULL,
  region         VARCHAR NOT NULL,  -- ISO 3166-1 alpha-2, '' when unknown
  user_hash      VARCHAR NOT NULL,  -- salted hash of the user key
  session        VARCHAR NOT NULL,
  ts             BIGINT NOT NULL,   -- client time, ms since epoch: informative only
  received_at    BIGINT NOT NULL,   -- server receive time, ms since epoch: windows and durations use it
  detail         VARCHAR
);
-- Batches already stored: a retried batch (after a timeout or a crash) is recognised and skipped, and a
-- retry the client grew with newer events (same first event) stores only what is new. No index: lookups
-- read the last day's rows (zone maps skip older ones), so memory does not grow with the table.
CREATE TABLE IF NOT EXISTS batches (
  batch       VARCHAR NOT NULL,     -- a hash of the batch's event ids, in order
  first_id    VARCHAR NOT NULL,     -- the id of its first event
  events      INTEGER NOT NULL,     -- how many events the batch had
  received_at BIGINT NOT NULL
);
