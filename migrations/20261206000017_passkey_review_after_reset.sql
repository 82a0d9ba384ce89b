-- Set when a password reset leaves the customer with passkeys: the next pages signed in list
-- them and ask the customer to check each is theirs, until the customer says so.
ALTER TABLE customers ADD COLUMN passkey_review_due BIGINT NOT NULL DEFAULT 0;
