-- Pictures editors upload for content, re-encoded by the portal (never the file as uploaded),
-- kept in the database so that every node serves them. `data` is the picture in base64: one
-- column type both engines share.
CREATE TABLE content_images (
    id            TEXT PRIMARY KEY,
    institution   TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    data          TEXT NOT NULL,
    width         BIGINT NOT NULL,
    height        BIGINT NOT NULL,
    bytes         BIGINT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
