-- 我的常用户号: numbers a customer saved with a label of their own (老家电费).
CREATE TABLE households (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    biller_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    number       TEXT NOT NULL,
    label        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (customer_id, biller_id, number)
);
