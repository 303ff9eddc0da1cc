-- One row per request that went through the proxy pipeline, written in batches by UsageWriter.
CREATE TABLE usage_events (
    -- Chosen by the router (UUIDv7, time ordered), so a batch retried after a lost commit
    -- acknowledgement is not counted twice: the insert skips ids it already has.
    event_id                uuid        PRIMARY KEY,
    -- When the request finished; duration_ms says how long before that it arrived.
    ts                      timestamptz NOT NULL,
    client                  text        NOT NULL,
    source                  text        NOT NULL,
    -- What the client asked for; NULL when the body named no model.
    model_requested         text,
    -- The model that served it (differs at night when a fallback applies); NULL when none was resolved.
    model_served            text,
    instance                text,
    gpu                     text,
    -- HTTP status sent to the client; 499 when the client went away first.
    status                  smallint    NOT NULL,
    -- As reported by the backend; 0 when it reported none.
    prompt_tokens           integer     NOT NULL,
    completion_tokens       integer     NOT NULL,
    -- The router's own estimate, used for routing before the backend saw the prompt.
    estimated_prompt_tokens integer     NOT NULL,
    queue_ms                integer     NOT NULL,
    ttft_ms                 integer,
    duration_ms             integer     NOT NULL,
    -- NULL when the request did not wait for a container to start.
    cold_start_ms           integer
);

-- Reports read time ranges, overall and per client.
CREATE INDEX usage_events_ts ON usage_events (ts);
CREATE INDEX usage_events_client_ts ON usage_events (client, ts);
