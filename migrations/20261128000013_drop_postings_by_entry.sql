-- No query looks postings up by their journal entry: statements, history and alerts go by
-- account, and the books' check reads every posting. The index cost every posting an entry
-- (two per transfer) on the one writer; journal entries are never deleted, so the foreign key
-- from postings does not need it either.
DROP INDEX postings_by_entry;
