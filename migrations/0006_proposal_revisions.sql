-- Reject with feedback (issue 9): rejectActionProposal(revise: true) asks the agents for a revised proposal. The
-- revision is a new PENDING proposal of the same kind that points at the proposal it revises; its idempotency key
-- ("revision:<original id>") makes a redelivered revision job store nothing twice.
ALTER TABLE action_proposals ADD COLUMN revision_of uuid REFERENCES action_proposals (id);
CREATE INDEX action_proposals_revision_of_idx ON action_proposals (revision_of) WHERE revision_of IS NOT NULL;
