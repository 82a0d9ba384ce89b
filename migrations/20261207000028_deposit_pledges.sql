-- A time deposit pledged for a 质押e贷 loan names the loan. While it does, the deposit cannot
-- be withdrawn early, is renewed at maturity instead of paid out (whatever the customer chose),
-- and its account's whole balance is frozen in the ledger.
ALTER TABLE time_deposits ADD COLUMN pledged_to TEXT;
