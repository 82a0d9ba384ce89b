-- Time deposits (定期): each one has its own account (kind 'time') holding the principal, and
-- pays back to the demand account it came from. Portable SQL: SQLite and PostgreSQL.
CREATE TABLE time_deposits (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    -- Deferred: the row is written first (it holds the idempotency key), its account after.
    account_id         TEXT NOT NULL REFERENCES accounts (id) DEFERRABLE INITIALLY DEFERRED,
    source_account_id  TEXT NOT NULL REFERENCES accounts (id),
    product            TEXT NOT NULL,
    principal          BIGINT NOT NULL CHECK (principal > 0),
    -- Annual rate in basis points (1.45 % = 145), fixed for the term.
    rate_bp            BIGINT NOT NULL,
    opened_at          BIGINT NOT NULL,
    matures_at         BIGINT NOT NULL,
    auto_renew         INTEGER NOT NULL,
    renewals           INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    closed_at          BIGINT,
    -- Interest paid over the deposit's life.
    interest_paid      BIGINT NOT NULL DEFAULT 0,
    idempotency_key    TEXT NOT NULL,
    UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX time_deposits_by_customer ON time_deposits (customer_id, opened_at);
CREATE INDEX time_deposits_due ON time_deposits (status, matures_at);
