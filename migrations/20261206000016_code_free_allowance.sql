-- What each customer has moved without an SMS code on one China day since their last step-up
-- (小额免密's allowance): the day, the fen and the number of payments. Spent where the money
-- moves, with a compare-and-set on these columns.
ALTER TABLE customers ADD COLUMN codefree_day BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN codefree_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN codefree_count BIGINT NOT NULL DEFAULT 0;
