-- 社保卡申领: applications sent to the bureau. Only masked name and ID are kept, with a keyed
-- blind index of the ID (no second application for the same person within a month).
CREATE TABLE ssc_applications (
    id                  TEXT PRIMARY KEY,
    customer_id         TEXT NOT NULL REFERENCES customers (id),
    idempotency_key     TEXT NOT NULL,
    bureau_ref          TEXT NOT NULL,
    name_masked         TEXT NOT NULL,
    resident_id_masked  TEXT NOT NULL,
    resident_id_index   TEXT NOT NULL,
    city                TEXT NOT NULL,
    pickup_bank         TEXT NOT NULL,
    submitted_at        BIGINT NOT NULL,
    UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX ssc_applications_by_customer ON ssc_applications (customer_id, submitted_at);
