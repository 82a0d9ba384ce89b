-- 智能化推送: a published item marked for push reaches the message centre of every customer it
-- targets, once, delivered by a worker in bounded batches that any node may run.
ALTER TABLE content_items ADD COLUMN push INTEGER NOT NULL DEFAULT 0;

-- The edition a customer last used (a slug), so a push can be targeted by edition; NULL until
-- they sign in or open the home page again. Only edition-neutral news reaches them until then.
ALTER TABLE customers ADD COLUMN edition TEXT;

-- A bank-local push walks that bank's customers in id order.
CREATE INDEX customers_by_bank ON customers (bank_code, id);

-- What a customer allowed or withdrew (用户授权、最小够用), per purpose ('marketing', 'news'). A
-- purpose without a row has its default: marketing off, news on.
CREATE TABLE consents (
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    purpose      TEXT NOT NULL,
    granted      INTEGER NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (customer_id, purpose)
);

-- One fan-out per pushed item. A worker claims it until `claimed_until` (a node that stops
-- mid-way leaves it to another after that), delivers to the customers after `cursor` in id
-- order, and moves the cursor forward only from the value it read (compare-and-set), in the
-- same transaction as the messages it wrote.
CREATE TABLE push_deliveries (
    item_id        TEXT PRIMARY KEY REFERENCES content_items (id),
    institution    TEXT NOT NULL,
    due_at         BIGINT NOT NULL,
    cursor         TEXT NOT NULL DEFAULT '',
    claimed_by     TEXT NOT NULL DEFAULT '',
    claimed_until  BIGINT NOT NULL DEFAULT 0,
    delivered      BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    finished_at    BIGINT
);
CREATE INDEX push_deliveries_open ON push_deliveries (finished_at, due_at);

-- What a message came from (a pushed item's id); a customer gets each at most once, and a
-- withdrawn item's messages go with it. NULL for messages of their own (reminders, replies).
ALTER TABLE notifications ADD COLUMN source TEXT;
CREATE UNIQUE INDEX notifications_once ON notifications (source, customer_id);
