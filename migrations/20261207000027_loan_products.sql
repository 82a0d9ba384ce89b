-- Loan products as data, like deposit products: the union (P000) publishes the province
-- catalogue with a rate band and a default rate per product; each bank sets its own rate within
-- the band from a date. The four online loans of the province: 信e贷 (a revolving credit line),
-- 保证e贷 (guaranteed by another customer), 质押e贷 (against one's own time deposit) and 税e贷
-- (from the tax a small business paid).

CREATE TABLE loan_products (
    code          TEXT PRIMARY KEY,
    -- 'P000' for the province catalogue, else the bank whose local product it is.
    owner         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('credit_line', 'guaranteed', 'pledged', 'tax')),
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    -- What one loan (or one credit line) may be, fen.
    min_fen       BIGINT NOT NULL,
    max_fen       BIGINT NOT NULL,
    -- The terms offered in months, comma-separated ("6,12,24"); a credit line's is how long
    -- the line stays open.
    terms         TEXT NOT NULL,
    -- The repayment methods offered, comma-separated slugs of `loans::Method`; empty for a
    -- credit line (daily interest on what is drawn, repaid at any time).
    methods       TEXT NOT NULL,
    -- The purposes it may be used for, comma-separated slugs of `loans::Purpose`.
    purposes      TEXT NOT NULL,
    -- Annual rates in basis points: the band a bank's rate keeps to, and the rate where a bank
    -- has set none.
    floor_bp      BIGINT NOT NULL,
    ceiling_bp    BIGINT NOT NULL,
    default_bp    BIGINT NOT NULL,
    -- A pledge loan's largest share of the pledged deposit's principal, per cent (0 otherwise).
    pledge_pct    BIGINT NOT NULL,
    -- Days after a due date before an instalment counts as overdue, and the penalty rate on
    -- overdue principal as a percentage of the contract rate (150: the rate × 1.5).
    grace_days    BIGINT NOT NULL,
    penalty_pct   BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    CHECK (min_fen > 0 AND max_fen >= min_fen),
    CHECK (floor_bp >= 0 AND floor_bp <= default_bp AND default_bp <= ceiling_bp)
);
CREATE INDEX loan_products_by_owner ON loan_products (owner, code);

-- A bank's rate for a loan product from a moment on (the start of a Beijing day); the latest
-- one not in the future is in effect. Rows are never changed: the history stays. A loan keeps
-- the rate of its contract.
CREATE TABLE loan_rates (
    bank_code       TEXT NOT NULL REFERENCES institutions (code),
    product_code    TEXT NOT NULL REFERENCES loan_products (code),
    effective_from  BIGINT NOT NULL,
    rate_bp         BIGINT NOT NULL,
    set_by          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (bank_code, product_code, effective_from)
);

INSERT INTO loan_products (code, owner, kind, name_zh, name_en, min_fen, max_fen, terms, methods, purposes, floor_bp, ceiling_bp, default_bp, pledge_pct, grace_days, penalty_pct, created_by, created_at) VALUES
    ('XED', 'P000', 'credit_line', '信e贷', 'Xin e-Loan (credit line)', 100000, 30000000, '12', '',
     'planting,breeding,machinery,inputs,business,household', 360, 1000, 540, 0, 3, 150, 'system', 0),
    ('BZED', 'P000', 'guaranteed', '保证e贷', 'Guaranteed e-Loan', 1000000, 50000000, '6,12,24,36',
     'equal-instalment,equal-principal,interest-first,interest-first-quarterly',
     'planting,breeding,machinery,inputs,business', 400, 1000, 580, 0, 3, 150, 'system', 0),
    ('ZYED', 'P000', 'pledged', '质押e贷', 'Deposit-pledged e-Loan', 100000, 1000000000, '3,6,12',
     'interest-first,equal-instalment',
     'planting,breeding,machinery,inputs,business,household', 300, 800, 420, 90, 3, 150, 'system', 0),
    ('SED', 'P000', 'tax', '税e贷', 'Tax e-Loan', 1000000, 100000000, '6,12',
     'equal-instalment,interest-first,interest-first-quarterly',
     'inputs,business', 400, 1000, 600, 0, 3, 150, 'system', 0);
