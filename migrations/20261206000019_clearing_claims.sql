-- A clearing worker claims an interbank transfer before it sends the instruction: the transfer
-- moves from 'pending' to 'submitting' with a lease, so on any number of nodes one worker sends
-- it. A lease that runs out (the worker died or the network never answered) is taken over by
-- the next pass, which asks the network what became of the instruction before sending it
-- again. The attempts count how often a transfer was claimed, for the operators' alert.
-- The status's CHECK gains 'submitting'; a CHECK changes only with its table, in the SQL both
-- engines understand, so the table is rebuilt.
CREATE TABLE transfers_rebuilt (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL,
    idempotency_key    TEXT NOT NULL,
    fingerprint        TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('own', 'intra', 'interbank')),
    from_account_id    TEXT NOT NULL,
    to_account_id      TEXT,
    payee_card         TEXT NOT NULL,
    payee_name_masked  TEXT NOT NULL,
    payee_bank_name    TEXT NOT NULL,
    -- Interbank only: the payee's name as typed, sealed, for the clearing network.
    payee_name_sealed  TEXT NOT NULL DEFAULT '',
    amount             BIGINT NOT NULL CHECK (amount > 0),
    memo               TEXT NOT NULL,
    status             TEXT NOT NULL
        CHECK (status IN ('posted', 'pending', 'submitting', 'settled', 'returned')),
    -- Why the other bank returned it, for the customer.
    status_reason      TEXT NOT NULL DEFAULT '',
    entry_id           TEXT NOT NULL,
    return_entry_id    TEXT,
    -- While a clearing worker holds the transfer ('submitting'): until when.
    clearing_lease_until BIGINT,
    -- How often a clearing worker claimed it.
    clearing_attempts  BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (customer_id, idempotency_key)
);
INSERT INTO transfers_rebuilt (id, customer_id, idempotency_key, fingerprint, kind, from_account_id,
    to_account_id, payee_card, payee_name_masked, payee_bank_name, payee_name_sealed, amount, memo,
    status, status_reason, entry_id, return_entry_id, created_at, updated_at)
SELECT id, customer_id, idempotency_key, fingerprint, kind, from_account_id,
    to_account_id, payee_card, payee_name_masked, payee_bank_name, payee_name_sealed, amount, memo,
    status, status_reason, entry_id, return_entry_id, created_at, updated_at FROM transfers;
DROP TABLE transfers;
ALTER TABLE transfers_rebuilt RENAME TO transfers;
CREATE INDEX transfers_by_customer ON transfers (customer_id, created_at);
CREATE INDEX transfers_pending ON transfers (created_at) WHERE status = 'pending';
CREATE INDEX transfers_submitting ON transfers (clearing_lease_until) WHERE status = 'submitting';
