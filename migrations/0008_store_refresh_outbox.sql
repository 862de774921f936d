-- Webhook-driven store refreshes (store.refresh outbox jobs) are coalesced: at most one unsent job per store, so a
-- burst of webhooks for one shop queues one incremental sync, not one per event.
CREATE UNIQUE INDEX outbox_store_refresh_unsent_idx ON outbox ((payload -> 'payload' ->> 'store_id'))
    WHERE topic = 'store_refresh' AND sent_at IS NULL;
