-- The retention job deletes trace spans by age in bounded batches; without this index every batch would scan
-- the whole table.
CREATE INDEX trace_spans_started_at_idx ON trace_spans (started_at);
