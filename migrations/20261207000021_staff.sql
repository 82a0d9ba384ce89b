-- The operators' console's staff: people of the provincial union (P000) or of one bank, kept
-- apart from customers. They sign in with a login (工号), a password and a TOTP code from an
-- authenticator app; the name and the TOTP secret are sealed like customers' personal data.

CREATE TABLE staff (
    id                    TEXT PRIMARY KEY,
    institution           TEXT NOT NULL REFERENCES institutions (code),
    login                 TEXT NOT NULL UNIQUE,
    name_sealed           TEXT NOT NULL,
    name_masked           TEXT NOT NULL,
    password_hash         TEXT NOT NULL,
    -- 1 while the password is the one an administrator issued: it must be replaced first.
    must_change_password  BIGINT NOT NULL,
    totp_sealed           TEXT NOT NULL,
    -- The last 30-second step whose code was used: a code works once.
    totp_last_step        BIGINT NOT NULL,
    failed_logins         BIGINT NOT NULL,
    lock_level            BIGINT NOT NULL,
    locked_until          BIGINT,
    disabled_at           BIGINT,
    -- `staff:<id>` of the administrator, or `system` for the create-staff command.
    created_by            TEXT NOT NULL,
    created_at            BIGINT NOT NULL
);
CREATE INDEX staff_by_institution ON staff (institution, login);

CREATE TABLE staff_roles (
    staff_id  TEXT NOT NULL REFERENCES staff (id),
    role      TEXT NOT NULL,
    PRIMARY KEY (staff_id, role)
);

-- Console sessions: the cookie holds a random token, the table only its digest.
CREATE TABLE staff_sessions (
    token_digest  TEXT PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    staff_id      TEXT NOT NULL REFERENCES staff (id),
    user_agent    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
