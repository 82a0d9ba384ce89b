-- Customers' loans from the application to the last repayment.
--
-- A loan is one row from the moment the customer applies: the machine's decision (offered,
-- referred to a credit officer, declined), the contract signed online, the money paid out and
-- the schedule repaid. Its principal owed is the balance of its own ledger account (one per
-- loan, one of the bank's internal accounts, below zero by what is owed: the bank's loan
-- receivable), so the books show every loan.

CREATE TABLE loans (
    id                TEXT PRIMARY KEY,
    customer_id       TEXT NOT NULL,
    bank_code         TEXT NOT NULL,
    product_code      TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('credit_line', 'guaranteed', 'pledged', 'tax')),
    -- What the customer asked for: the amount (a credit line's limit), the term in months,
    -- the repayment method's slug ('' for a credit line) and the purpose's slug.
    amount_asked      BIGINT NOT NULL CHECK (amount_asked > 0),
    months            BIGINT NOT NULL CHECK (months > 0),
    method            TEXT NOT NULL,
    purpose           TEXT NOT NULL,
    -- The customer's demand account at the lending bank the money goes to and is repaid from.
    account_id        TEXT NOT NULL,
    -- The time deposit pledged (质押e贷), the authorization the bureau was asked under.
    deposit_id        TEXT,
    authorization_id  TEXT,
    status            TEXT NOT NULL CHECK (status IN
        ('referred', 'declined', 'offered', 'signed', 'active', 'repaid', 'cancelled')),
    -- `loans::decision::Reason` slugs, comma-separated.
    reasons           TEXT NOT NULL DEFAULT '',
    -- What was offered: the principal (a credit line's limit) and the rates in basis points.
    principal         BIGINT NOT NULL DEFAULT 0,
    rate_bp           BIGINT NOT NULL DEFAULT 0,
    penalty_rate_bp   BIGINT NOT NULL DEFAULT 0,
    grace_days        BIGINT NOT NULL DEFAULT 0,
    -- 'machine', or the credit officer as `staff:<id>`.
    decided_by        TEXT,
    loan_account_id   TEXT,
    -- A credit line's interest accrued and not yet paid, and the China day it is accrued to.
    accrued_interest  BIGINT NOT NULL DEFAULT 0,
    accrued_to_day    BIGINT NOT NULL DEFAULT 0,
    -- The China day the servicing run last collected from the account (once a day, on one
    -- node), and a counter every change of the loan's money moves on, so two changes at once
    -- cannot both act on what they read.
    collected_day     BIGINT NOT NULL DEFAULT 0,
    version           BIGINT NOT NULL DEFAULT 0,
    idempotency_key   TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    decided_at        BIGINT,
    signed_at         BIGINT,
    disbursed_at      BIGINT,
    -- The China day a credit line stops lending (its term after signing).
    ends_day          BIGINT,
    closed_at         BIGINT,
    UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX loans_by_customer ON loans (customer_id, created_at);
CREATE INDEX loans_by_status ON loans (status, bank_code);

-- A term loan's schedule as disbursed (and as rewritten by an early repayment). What is paid
-- of each part is kept beside it; penalty interest accrues on overdue principal after the
-- grace days, day by day (`penalty_to_day`, a China day).
CREATE TABLE loan_instalments (
    loan_id         TEXT NOT NULL,
    number          BIGINT NOT NULL,
    -- Months after the disbursement it falls due, and that day (a China day).
    month           BIGINT NOT NULL,
    due_day         BIGINT NOT NULL,
    principal       BIGINT NOT NULL,
    interest        BIGINT NOT NULL,
    paid_principal  BIGINT NOT NULL DEFAULT 0,
    paid_interest   BIGINT NOT NULL DEFAULT 0,
    penalty         BIGINT NOT NULL DEFAULT 0,
    paid_penalty    BIGINT NOT NULL DEFAULT 0,
    penalty_to_day  BIGINT NOT NULL DEFAULT 0,
    paid_day        BIGINT,
    PRIMARY KEY (loan_id, number),
    CHECK (paid_principal <= principal AND paid_interest <= interest AND paid_penalty <= penalty)
);
CREATE INDEX loan_instalments_unpaid ON loan_instalments (due_day) WHERE paid_day IS NULL;

-- The contract as the customer read it: rendered from a versioned template, sealed for the
-- customer (it names them), with the SHA-256 of the text the step-up code was bound to.
CREATE TABLE loan_contracts (
    id                TEXT PRIMARY KEY,
    loan_id           TEXT NOT NULL UNIQUE,
    customer_id       TEXT NOT NULL,
    template_version  TEXT NOT NULL,
    text_sealed       TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);

-- Who signed a contract, how and when: the hash they signed, the step-up ('sms' or
-- 'passkey') and the browser (the session's device).
CREATE TABLE loan_signatures (
    contract_id  TEXT NOT NULL,
    signer_id    TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('borrower', 'guarantor')),
    sha256       TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('sms', 'passkey')),
    device_id    TEXT NOT NULL,
    signed_at    BIGINT NOT NULL,
    PRIMARY KEY (contract_id, signer_id)
);

-- A customer's authorization for one query of an outside data source (the credit bureau,
-- the tax bureau), recorded before the query and naming what it was for.
CREATE TABLE data_authorizations (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('credit_bureau', 'tax_bureau')),
    purpose      TEXT NOT NULL,
    granted_at   BIGINT NOT NULL,
    used_at      BIGINT
);
CREATE INDEX data_authorizations_by_customer ON data_authorizations (customer_id, granted_at);
