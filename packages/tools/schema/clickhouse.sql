-- token-rollout event store, ClickHouse (for scale: `--store clickhouse://host:8123/db`).
-- Tested with ClickHouse 18.16 (Debian bookworm's package) and written in the plain SQL it knows, so newer
-- servers take it too. `{db}` is the database named in the store URL. One row per metric event, as
-- src/metrics/event.ts defines it (ARCHITECTURE.md "The event contract"); a pipeline of your own can
-- fill it and the gate reads it the same way. Each event is one row: the collector recognises a retried
-- batch before inserting it (README: what is guaranteed on each engine).
CREATE TABLE IF NOT EXISTS {db}.events (
  id             String,
  batch          String,
  name           String,
  value_num      Nullable(Float64),
  value_text     Nullable(String),
  arm            String,
  assignment     Nullable(String),
  bucket         Nullable(Float64),
  family         Nullable(String),
  stage          Nullable(String),
  config_version String,
  region         String,
  user_hash      String,
  session        String,
  ts             Int64,
  received_at    Int64,
  detail         Nullable(String)
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(toDateTime(intDiv(received_at, 1000)))
ORDER BY (user_hash, received_at, id);
-- Batches already stored: a retried batch is recognised and skipped, and a retry the client grew with
-- newer events (same first event) stores only what is new.
CREATE TABLE IF NOT EXISTS {db}.batches (
  batch       String,
  first_id    String,
  events      UInt32,
  received_at Int64
) ENGINE = MergeTree()
ORDER BY (first_id, batch);
