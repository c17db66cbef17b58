-- The log. One row per append ("commit"): a stream's consecutive events, stored
-- together as one JSON array. A room tick's batch is one row, so the indexes grow
-- per commit, not per event.
CREATE TABLE __SCHEMA__.commits (
  -- Global position of the commit's last event; its events hold the positions
  -- last_position - event_count + 1 .. last_position.
  last_position  bigint  PRIMARY KEY,
  stream_id      text    NOT NULL,
  -- Stream version of the commit's first event (0-based).
  first_version  bigint  NOT NULL CHECK (first_version >= 0),
  event_count    integer NOT NULL CHECK (event_count > 0),
  -- Keys idempotent re-appends.
  first_event_id uuid    NOT NULL,
  -- Chain hash of the commit's last event: the predecessor of the next commit.
  last_hash      text    NOT NULL,
  -- [{id, type, schemaVersion, data, metadata, hash}, ...] in version order.
  events         json    NOT NULL
);

-- Versions are contiguous, so the commit that follows version n always starts at
-- n + 1: this index is the stream's optimistic-concurrency check.
CREATE UNIQUE INDEX commits_stream_version ON __SCHEMA__.commits (stream_id, first_version);
CREATE UNIQUE INDEX commits_first_event_id ON __SCHEMA__.commits (first_event_id);

-- The global position counter. The append statement takes its row lock before it writes
-- any commit and holds it until it commits, so positions are handed out in commit order:
-- a reader that sees position p sees every position below it, and never skips an event
-- that commits late.
CREATE TABLE __SCHEMA__.global_position (
  id   boolean PRIMARY KEY DEFAULT true CHECK (id),
  last bigint  NOT NULL
);
INSERT INTO __SCHEMA__.global_position (id, last) VALUES (true, 0);
