-- Wrong sign-ins for mobile numbers that are no customer's, counted and locked exactly like a
-- customer's (`customers.failed_logins`, `lock_level`, `locked_until`), so the tries left and
-- the lock times a sign-in form shows say nothing about whether a number is registered. Keyed
-- by the number's blind index, like `customers.mobile_index`; old rows are purged.
CREATE TABLE login_failures_unknown (
    mobile_index TEXT PRIMARY KEY,
    failed_logins BIGINT NOT NULL,
    lock_level BIGINT NOT NULL,
    locked_until BIGINT,
    updated_at BIGINT NOT NULL
);
