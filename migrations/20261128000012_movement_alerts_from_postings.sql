-- Movement alerts (动账通知) are read from the postings they report (domain::notify) instead of
-- being stored a second time as notifications: every transfer wrote two alert rows and their
-- index entries beside its two postings, on the writer every transfer goes through.
--
-- What a customer has seen of them is one mark: every posting up to (alerts_seen_at,
-- alerts_seen_id), in the inbox's order (time, then id), counts as read.
ALTER TABLE customers ADD COLUMN alerts_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN alerts_seen_id TEXT NOT NULL DEFAULT '';

-- Alerts already read stay read: the mark goes to just after the newest read one's time
-- (the next millisecond with the lowest id, as domain::notify::mark_all_read does).
UPDATE customers SET alerts_seen_at = COALESCE((
    SELECT MAX(n.created_at) + 1 FROM notifications n
    WHERE n.customer_id = customers.id AND n.kind = 'movement' AND n.read_at IS NOT NULL), 0);

DELETE FROM notifications WHERE kind = 'movement';
