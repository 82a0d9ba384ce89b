-- 缴费提醒: which day a saved number was last asked about (claimed by one node per day),
-- and the reminders sent, one per number and billing period.
ALTER TABLE households ADD COLUMN checked_day BIGINT;
CREATE TABLE bill_reminders (
    household_id  TEXT NOT NULL,
    period        TEXT NOT NULL,
    sent_at       BIGINT NOT NULL,
    PRIMARY KEY (household_id, period)
);
-- 自动缴费: a saved number's bill paid by itself from the chosen account, up to a monthly cap.
CREATE TABLE bill_autopay (
    household_id     TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL REFERENCES customers (id),
    from_account_id  TEXT NOT NULL REFERENCES accounts (id),
    monthly_cap      BIGINT NOT NULL CHECK (monthly_cap > 0),
    updated_at       BIGINT NOT NULL
);
