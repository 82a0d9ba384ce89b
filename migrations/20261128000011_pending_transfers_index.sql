-- The clearing worker looks only for pending interbank transfers, oldest first. An index of
-- every transfer by status took an entry (and, under load, a page write) for each of the many
-- transfers that are posted at once and never pending; this one holds only those waiting for
-- clearing, and a transfer leaves it when it settles or comes back.
DROP INDEX transfers_by_status;
CREATE INDEX transfers_pending ON transfers (created_at) WHERE status = 'pending';
