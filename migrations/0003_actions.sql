-- Human in the loop (issue 9): undo states, the owner of each audit entry, and the idempotency records of the
-- action executor.

-- UNDOING/UNDONE/UNDO_FAILED: an executed change whose before-image is being (or has been) put back.
ALTER TABLE action_proposals DROP CONSTRAINT action_proposals_status_check;
ALTER TABLE action_proposals ADD CONSTRAINT action_proposals_status_check
    CHECK (status IN ('PENDING', 'APPROVED', 'EXECUTING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED',
                      'UNDOING', 'UNDONE', 'UNDO_FAILED'));
ALTER TABLE action_proposals ADD COLUMN undo_outcome jsonb;
ALTER TABLE action_proposals ADD COLUMN undone_at timestamptz;

-- owner_id: whose trail an entry belongs to (auditLog shows the owner's entries, including the worker's steps on
-- the owner's proposals). details: non-secret context (status reached, Shopify's message). Existing rows keep
-- NULL/{} (adding a column rewrites no row, so the append-only trigger is not involved).
ALTER TABLE audit_log ADD COLUMN owner_id uuid;
ALTER TABLE audit_log ADD COLUMN details jsonb NOT NULL DEFAULT '{}';
CREATE INDEX audit_log_owner_idx ON audit_log (owner_id, id DESC) WHERE owner_id IS NOT NULL;

-- One row per (proposal, phase): written and committed BEFORE the Shopify call, so a worker that dies between
-- the call and the outcome's commit leaves a STARTED record; the next delivery then asks the store whether the
-- write happened (the discount code exists, the field already holds the new value, the quantity moved by the
-- delta) instead of writing again.
CREATE TABLE action_executions (
    proposal_id  uuid NOT NULL REFERENCES action_proposals (id) ON DELETE CASCADE,
    phase        text NOT NULL CHECK (phase IN ('EXECUTE', 'UNDO')),
    state        text NOT NULL DEFAULT 'STARTED' CHECK (state IN ('STARTED', 'DONE')),
    attempts     integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    before_state jsonb,                                 -- what the store held right before the call
    called_at    timestamptz,                           -- when before_state was committed (the call began)
    result       jsonb,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    PRIMARY KEY (proposal_id, phase)
);
