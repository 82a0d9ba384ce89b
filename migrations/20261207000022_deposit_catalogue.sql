-- Deposit products as data. The union (P000) publishes the province catalogue with a rate band
-- (floor and ceiling) and a default rate per product; each bank sets its own rates within the
-- band, from a date, and may add local products of its own (owner = the bank), held to the band
-- of the catalogue product of the same term and kind. A deposit keeps the rate it was opened at
-- (time_deposits.rate_bp).

CREATE TABLE deposit_products (
    code         TEXT PRIMARY KEY,
    -- 'P000' for the province catalogue, else the bank whose local product it is. No foreign
    -- key: the catalogue below is written before the institutions are seeded.
    owner        TEXT NOT NULL,
    months       BIGINT NOT NULL,
    -- Smallest principal, fen.
    min_fen      BIGINT NOT NULL,
    -- 1 for a large-denomination certificate (大额存单), 0 for 整存整取.
    certificate  BIGINT NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    -- Annual rates in basis points: the band a bank's rate must keep to, and the rate where a
    -- bank has set none.
    floor_bp     BIGINT NOT NULL,
    ceiling_bp   BIGINT NOT NULL,
    default_bp   BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX deposit_products_by_owner ON deposit_products (owner, months);

-- A bank's rate for a product from a moment on (the start of a Beijing day); the latest one
-- not in the future is in effect. Rows are never changed: the history stays.
CREATE TABLE deposit_rates (
    bank_code       TEXT NOT NULL REFERENCES institutions (code),
    product_code    TEXT NOT NULL REFERENCES deposit_products (code),
    effective_from  BIGINT NOT NULL,
    rate_bp         BIGINT NOT NULL,
    set_by          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (bank_code, product_code, effective_from)
);

INSERT INTO deposit_products (code, owner, months, min_fen, certificate, name_zh, name_en, floor_bp, ceiling_bp, default_bp, created_by, created_at) VALUES
    ('M3', 'P000', 3, 5000, 0, '3个月整存整取', '3-month time deposit', 65, 145, 105, 'system', 0),
    ('M6', 'P000', 6, 5000, 0, '6个月整存整取', '6-month time deposit', 85, 165, 125, 'system', 0),
    ('Y1', 'P000', 12, 5000, 0, '1年期整存整取', '1-year time deposit', 105, 185, 145, 'system', 0),
    ('Y2', 'P000', 24, 5000, 0, '2年期整存整取', '2-year time deposit', 115, 195, 155, 'system', 0),
    ('Y3', 'P000', 36, 5000, 0, '3年期整存整取', '3-year time deposit', 155, 235, 195, 'system', 0),
    ('Y5', 'P000', 60, 5000, 0, '5年期整存整取', '5-year time deposit', 160, 240, 200, 'system', 0),
    ('CD1', 'P000', 12, 20000000, 1, '1年期大额存单', '1-year certificate of deposit', 125, 205, 165, 'system', 0),
    ('CD3', 'P000', 36, 20000000, 1, '3年期大额存单', '3-year certificate of deposit', 175, 255, 215, 'system', 0);
