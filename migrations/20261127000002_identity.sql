-- Identity, sessions and the audit log (portable SQL: SQLite and PostgreSQL).
-- Times are milliseconds since the Unix epoch (BIGINT). Personal data is stored sealed
-- (AES-256-GCM, per-customer keys) with a keyed blind index for lookups and a masked copy for
-- display; plaintext never reaches these tables.

CREATE TABLE customers (
    id                  TEXT PRIMARY KEY,
    bank_code           TEXT NOT NULL REFERENCES institutions (code),
    mobile_index        TEXT NOT NULL UNIQUE,
    resident_id_index   TEXT NOT NULL UNIQUE,
    mobile_sealed       TEXT NOT NULL,
    resident_id_sealed  TEXT NOT NULL,
    name_sealed         TEXT NOT NULL,
    mobile_masked       TEXT NOT NULL,
    resident_id_masked  TEXT NOT NULL,
    name_masked         TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    lock_level          INTEGER NOT NULL DEFAULT 0,
    locked_until        BIGINT,
    terms_version       TEXT NOT NULL,
    terms_accepted_at   BIGINT NOT NULL,
    created_at          BIGINT NOT NULL
);

-- One-time codes sent by SMS, stored as keyed digests. `binding` ties a code to what it
-- authorises (dynamic linking: operation, amount, payee).
CREATE TABLE otp_codes (
    id            TEXT PRIMARY KEY,
    mobile_index  TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    binding       TEXT NOT NULL,
    code_digest   TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    china_day     BIGINT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    used_at       BIGINT
);
CREATE INDEX otp_codes_latest ON otp_codes (mobile_index, purpose, created_at);
CREATE INDEX otp_codes_per_day ON otp_codes (mobile_index, china_day);

-- The development SMS outbox: what the simulated gateway "sent". Only the simulator writes it.
CREATE TABLE sms_outbox (
    id          TEXT PRIMARY KEY,
    mobile      TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX sms_outbox_by_mobile ON sms_outbox (mobile, created_at);

-- Fixed-window counters shared by every app node.
CREATE TABLE rate_limits (
    bucket        TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- Server-side sessions; the cookie holds a random token, the table only its digest.
CREATE TABLE sessions (
    token_digest  TEXT PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    device_id     TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT
);
CREATE INDEX sessions_by_customer ON sessions (customer_id, created_at);

-- Browsers a customer has proven with an SMS code; a new one needs the code again.
CREATE TABLE known_devices (
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    device_id      TEXT NOT NULL,
    label          TEXT NOT NULL,
    first_seen_at  BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    PRIMARY KEY (customer_id, device_id)
);

-- Append-only, hash-chained.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_by_subject ON audit_log (subject, seq);

-- A sign-in or registration between its steps (password checked, code sent), per browser.
-- The payload (the mobile number, the customer) is sealed; rows live five minutes.
CREATE TABLE pending_flows (
    device_id   TEXT NOT NULL,
    flow        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    PRIMARY KEY (device_id, flow)
);
