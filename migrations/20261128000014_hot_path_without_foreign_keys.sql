-- Postings and transfers without foreign keys. On PostgreSQL every inserted row ran one
-- trigger query per foreign key (`SELECT 1 … FOR KEY SHARE` on the parent row): seven per
-- transfer (two per posting, three per transfer row), measured at a third of the database's
-- CPU under the transfer load, on the one connection every transfer of a node goes through
-- (BENCHMARKS.md, "Transfers through the domain"). Nothing those checks caught can happen here: postings are
-- written only by `ledger::Batch`, which reads (on PostgreSQL locks) every account it posts
-- to and inserts the journal entry in the same transaction; transfer rows only by the group
-- commit, from accounts it read in that transaction and the signed-in customer. Accounts,
-- entries and customers are never deleted. `ledger::check_books` checks that every posting
-- and transfer names rows that exist, and the tests, the bank test and the crash test run it.
-- Portable SQL for both engines: SQLite cannot drop a constraint, so both tables are rebuilt
-- with every column, check and index they had.

CREATE TABLE postings_rebuilt (
    id             TEXT PRIMARY KEY,
    entry_id       TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    -- Positive: money into the account; negative: money out.
    amount         BIGINT NOT NULL CHECK (amount <> 0),
    balance_after  BIGINT NOT NULL,
    -- What the statement shows as the other side: a masked name and card, or a description.
    counterparty   TEXT NOT NULL,
    memo           TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
INSERT INTO postings_rebuilt (id, entry_id, account_id, amount, balance_after, counterparty, memo, created_at)
SELECT id, entry_id, account_id, amount, balance_after, counterparty, memo, created_at FROM postings;
DROP TABLE postings;
ALTER TABLE postings_rebuilt RENAME TO postings;
CREATE INDEX postings_by_account ON postings (account_id, created_at);

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
    status             TEXT NOT NULL CHECK (status IN ('posted', 'pending', 'settled', 'returned')),
    -- Why the other bank returned it, for the customer.
    status_reason      TEXT NOT NULL DEFAULT '',
    entry_id           TEXT NOT NULL,
    return_entry_id    TEXT,
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
