-- 电子社保卡 and 医保电子凭证 signed up through the app: the bureau's reference for each, and
-- whether it is still bound here. At most one active card of a kind per customer.
CREATE TABLE ecards (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customers (id),
    kind            TEXT NOT NULL,
    card_ref        TEXT NOT NULL,
    card_no_masked  TEXT NOT NULL,
    issuer          TEXT NOT NULL,
    status          TEXT NOT NULL,
    signed_up_at    BIGINT NOT NULL,
    unbound_at      BIGINT
);
CREATE UNIQUE INDEX ecards_one_active ON ecards (customer_id, kind) WHERE status = 'active';
