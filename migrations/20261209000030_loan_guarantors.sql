-- 保证e贷: the customer (of any of the province's banks) who guarantees a loan jointly. They
-- are invited by mobile number when the borrower applies, read the contract in their own
-- login, and sign it with their own step-up before the money is paid out; the joint liability
-- is their signature on the same contract hash (`loan_signatures`, role 'guarantor').
ALTER TABLE loans ADD COLUMN guarantor_id TEXT;
CREATE INDEX loans_by_guarantor ON loans (guarantor_id, status);
