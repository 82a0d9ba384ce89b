-- Whether a code was asked for by someone not known to be the number's owner (a registration
-- or a password reset from a browser the customer never proved): those have a small daily
-- budget of their own, so nobody else can use up the owner's codes.
ALTER TABLE otp_codes ADD COLUMN by_stranger BIGINT NOT NULL DEFAULT 0;
