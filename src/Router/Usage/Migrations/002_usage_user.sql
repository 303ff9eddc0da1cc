-- Open WebUI's end user (X-OpenWebUI-User-Id and -Name), recorded only for clients with
-- trustUserHeaders: true. NULL for every other request and for rows written before this version.
-- The e-mail Open WebUI also sends is never stored.
ALTER TABLE usage_events ADD COLUMN user_id text, ADD COLUMN user_name text;

-- GET /admin/usage?by=user&since=... reads one user's range; most rows have no user.
CREATE INDEX usage_events_user_ts ON usage_events (user_id, ts) WHERE user_id IS NOT NULL;
