-- The bank's books (portable SQL: SQLite and PostgreSQL). Money is BIGINT fen; times are
-- milliseconds since the Unix epoch; every id comes from the application.

-- Customers' accounts and the banks' own internal accounts (clearing, interest, fees, funding).
-- A balance changes only together with a posting in the same transaction (see domain::ledger).
CREATE TABLE accounts (
    id               TEXT PRIMARY KEY,
    bank_code        TEXT NOT NULL REFERENCES institutions (code),
    customer_id      TEXT REFERENCES customers (id),
    kind             TEXT NOT NULL CHECK (kind IN ('demand', 'time', 'internal')),
    -- 1 or 2 for demand accounts (Ⅰ类户 / Ⅱ类户), 0 otherwise.
    class            INTEGER NOT NULL DEFAULT 0,
    -- 19 digits with a per-bank BIN and a Luhn check digit; internal accounts have none.
    card_no          TEXT UNIQUE,
    label            TEXT NOT NULL,
    balance          BIGINT NOT NULL,
    frozen           BIGINT NOT NULL DEFAULT 0,
    -- Only the banks' internal accounts may go below zero (they mirror customers' money).
    may_go_negative  INTEGER NOT NULL DEFAULT 0,
    -- Outflow of the China day `out_day`, for the daily limit (updated with the debit).
    out_day          BIGINT NOT NULL DEFAULT 0,
    out_today        BIGINT NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at        BIGINT NOT NULL,
    CHECK (may_go_negative = 1 OR balance >= 0),
    CHECK (frozen >= 0)
);
CREATE INDEX accounts_by_customer ON accounts (customer_id, opened_at);

-- One journal entry per movement; its postings sum to zero.
CREATE TABLE journal_entries (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    memo        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE postings (
    id             TEXT PRIMARY KEY,
    entry_id       TEXT NOT NULL REFERENCES journal_entries (id),
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    -- Positive: money into the account; negative: money out.
    amount         BIGINT NOT NULL CHECK (amount <> 0),
    balance_after  BIGINT NOT NULL,
    -- What the statement shows as the other side: a masked name and card, or a description.
    counterparty   TEXT NOT NULL,
    memo           TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX postings_by_account ON postings (account_id, created_at);
CREATE INDEX postings_by_entry ON postings (entry_id);

-- Customer transfers with their idempotency key: one row per key and customer, so a retried or
-- double-clicked request finds the first one instead of posting again.
CREATE TABLE transfers (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    idempotency_key    TEXT NOT NULL,
    fingerprint        TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('own', 'intra', 'interbank')),
    from_account_id    TEXT NOT NULL REFERENCES accounts (id),
    to_account_id      TEXT REFERENCES accounts (id),
    payee_card         TEXT NOT NULL,
    payee_name_masked  TEXT NOT NULL,
    payee_bank_name    TEXT NOT NULL,
    -- Interbank only: the payee's name as typed, sealed, for the clearing network.
    payee_name_sealed  TEXT NOT NULL DEFAULT '',
    amount             BIGINT NOT NULL CHECK (amount > 0),
    memo               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('posted', 'pending', 'settled', 'returned')),
    -- Why the other bank returned it, for the customer.
    status_reason      TEXT NOT NULL DEFAULT '',
    entry_id           TEXT NOT NULL,
    return_entry_id    TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX transfers_by_customer ON transfers (customer_id, created_at);
CREATE INDEX transfers_by_status ON transfers (status, created_at);

-- Payees: every payee paid (recent) and those the customer saved, with masked names only,
-- except the interbank payee's name as typed, sealed, which clearing needs.
CREATE TABLE payees (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    card_no       TEXT NOT NULL,
    name_masked   TEXT NOT NULL,
    name_sealed   TEXT NOT NULL DEFAULT '',
    bank_name     TEXT NOT NULL,
    in_network    INTEGER NOT NULL,
    saved         INTEGER NOT NULL DEFAULT 0,
    alias         TEXT NOT NULL DEFAULT '',
    last_used_at  BIGINT NOT NULL,
    UNIQUE (customer_id, card_no)
);

-- The customer's notification inbox (movement alerts first; push comes later). `data` is JSON
-- the UI renders in the customer's language.
CREATE TABLE notifications (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    kind         TEXT NOT NULL,
    data         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    read_at      BIGINT
);
CREATE INDEX notifications_by_customer ON notifications (customer_id, created_at);
