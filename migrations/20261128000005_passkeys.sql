-- Passkeys (WebAuthn credentials: "fingerprint / face login") and the challenges waiting for
-- an answer from the browser. Portable SQL: SQLite and PostgreSQL.

-- One row per registered authenticator. `credential` is webauthn-rs's Passkey as JSON (public
-- key, algorithm, signature counter): nothing secret, but only the server may change it.
CREATE TABLE passkeys (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    credential_id  TEXT NOT NULL UNIQUE,
    label          TEXT NOT NULL,
    credential     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    last_used_at   BIGINT
);
CREATE INDEX passkeys_by_customer ON passkeys (customer_id, created_at);

-- A ceremony started by the server: its state stays here (never in the browser, so an answer
-- cannot be replayed) and is taken exactly once. `binding` ties a step-up to what it
-- authorises (customer, operation, amount, payee), like an SMS code's.
CREATE TABLE passkey_challenges (
    id           TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL,
    customer_id  TEXT,
    binding      TEXT NOT NULL,
    state        TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX passkey_challenges_expiry ON passkey_challenges (expires_at);
