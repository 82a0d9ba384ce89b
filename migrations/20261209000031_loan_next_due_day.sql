-- The China day a term loan's oldest unpaid instalment falls due (NULL when nothing is unpaid,
-- and for a credit line), kept with every change of its instalments. The daily servicing run
-- walks the loans due by this index instead of reading every unpaid instalment for each page.
ALTER TABLE loans ADD COLUMN next_due_day BIGINT;
UPDATE loans SET next_due_day = (
    SELECT MIN(i.due_day) FROM loan_instalments i WHERE i.loan_id = loans.id AND i.paid_day IS NULL
);
CREATE INDEX loans_next_due ON loans (status, next_due_day, id);
