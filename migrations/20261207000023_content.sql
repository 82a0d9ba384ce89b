-- 资讯信息、营销信息: news, announcements and campaigns, province-wide (institution P000) or one
-- bank's (its customers only). An editor drafts, a different approver of the same institution
-- publishes (maker–checker). Targeting lists are space-separated; an empty list targets all.

CREATE TABLE content_items (
    id            TEXT PRIMARY KEY,
    institution   TEXT NOT NULL REFERENCES institutions (code),
    kind          TEXT NOT NULL CHECK (kind IN ('news', 'announcement', 'campaign')),
    title         TEXT NOT NULL,
    -- Markdown source in the safe subset; rendered and sanitized on the server when shown.
    body          TEXT NOT NULL,
    -- Edition slugs (city, rural, city-simple, rural-simple).
    editions      TEXT NOT NULL,
    -- City or county names, matched against the customer's bank's.
    places        TEXT NOT NULL,
    -- Customer segments that must all hold: age60, deposit, new30.
    segments      TEXT NOT NULL,
    starts_at     BIGINT NOT NULL,
    ends_at       BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'published', 'rejected', 'withdrawn')),
    drafted_by    TEXT NOT NULL,
    reviewed_by   TEXT,
    review_note   TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    published_at  BIGINT
);
CREATE INDEX content_items_live ON content_items (status, institution, starts_at);
CREATE INDEX content_items_by_institution ON content_items (institution, updated_at);

-- The year of birth (from the resident ID at registration), for the 60-and-over segment: the
-- year alone, not the date, identifies no one. NULL until filled in for customers registered
-- before it existed (housekeeping does that from the sealed resident ID).
ALTER TABLE customers ADD COLUMN birth_year BIGINT;
