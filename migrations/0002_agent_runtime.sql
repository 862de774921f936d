-- Agent runtime bookkeeping.
-- event_seq: every status/progress/task event of a request carries the next number, so subscribers can
-- order events and drop stale ones (the relay may publish a retried row late).
ALTER TABLE analysis_requests ADD COLUMN event_seq bigint NOT NULL DEFAULT 0 CHECK (event_seq >= 0);
-- dispatched_at: the orchestrator wrote the task's dispatch message (into the outbox); never dispatch twice.
ALTER TABLE agent_tasks ADD COLUMN dispatched_at timestamptz;
-- Requests still in flight, for the worker's timeout sweep.
CREATE INDEX analysis_requests_active_idx ON analysis_requests (updated_at)
    WHERE status IN ('QUEUED', 'PLANNING', 'RUNNING', 'REVIEWING');
