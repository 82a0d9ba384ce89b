-- 持续跟踪客户反馈: a customer's suggestion or complaint, answered by service agents of the bank
-- they belong to, within a service level counted from when it was sent.
CREATE TABLE feedback (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    -- The customer's bank when they sent it: its agents answer.
    bank_code     TEXT NOT NULL,
    -- 'suggestion' or 'complaint'.
    kind          TEXT NOT NULL,
    category      TEXT NOT NULL,
    -- Sealed for the customer: free text may hold anything personal.
    text_sealed   TEXT NOT NULL,
    -- Where it was sent from: a portal path (no query) and the edition's slug.
    page          TEXT NOT NULL,
    edition       TEXT NOT NULL,
    -- 'open', 'taken' (an agent is on it), 'replied', 'closed' (the customer rated the reply).
    status        TEXT NOT NULL,
    -- The service level: the first reply is due by then.
    due_at        BIGINT NOT NULL,
    taken_by      TEXT,
    -- Sealed for the customer as well; empty until an agent replies.
    reply_sealed  TEXT NOT NULL DEFAULT '',
    replied_by    TEXT,
    replied_at    BIGINT,
    -- 'satisfied' or 'unsatisfied', once the customer rated the reply.
    rating        TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX feedback_by_customer ON feedback (customer_id, created_at);
CREATE INDEX feedback_queue ON feedback (bank_code, status, due_at);
CREATE INDEX feedback_by_time ON feedback (created_at);
