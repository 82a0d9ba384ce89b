-- Bill payments (缴费): one row per payment, posted through the ledger. `status` moves from
-- pending (debited, the biller not yet confirmed) to paid (the biller's receipt number stored)
-- or refunded (the biller refused or failed: a second entry gave the money back).
CREATE TABLE bill_payments (
    id               TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL REFERENCES customers (id),
    from_account_id  TEXT NOT NULL REFERENCES accounts (id),
    biller_id        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    household        TEXT NOT NULL,
    amount           BIGINT NOT NULL CHECK (amount > 0),
    period           TEXT NOT NULL,
    status           TEXT NOT NULL,
    biller_receipt   TEXT,
    reason           TEXT NOT NULL DEFAULT '',
    entry_id         TEXT NOT NULL,
    refund_entry_id  TEXT,
    idempotency_key  TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX bill_payments_by_customer ON bill_payments (customer_id, created_at);
CREATE INDEX bill_payments_pending ON bill_payments (status, created_at);

-- The biller simulator's own books: what it was paid, so a paid bill shows as paid and a
-- status query after a lost answer tells the truth. Only the simulator writes it.
CREATE TABLE biller_sim_payments (
    reference   TEXT PRIMARY KEY,
    biller_id   TEXT NOT NULL,
    household   TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    receipt     TEXT NOT NULL,
    paid_at     BIGINT NOT NULL
);
CREATE INDEX biller_sim_by_household ON biller_sim_payments (biller_id, household);
