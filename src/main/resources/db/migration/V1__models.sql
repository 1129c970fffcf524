-- Model versions (digits.store=postgres): the metadata (model.json) here, the parameters in the
-- blob store, addressed by their SHA-256.

CREATE TABLE model_versions (
    version           integer     PRIMARY KEY CHECK (version > 0),
    -- model.json, with its version
    metadata          jsonb       NOT NULL,
    -- the blob holding model-0000.params
    parameters_sha256 text        NOT NULL CHECK (parameters_sha256 ~ '^[0-9a-f]{64}$'),
    -- lineage.jobId: a job's model becomes a version at most once
    job_id            text        UNIQUE,
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- The last version number handed out. Registrations lock this row, so they are numbered one after
-- the other, and a number is never handed out twice, not even after its version was deleted.
CREATE TABLE model_version_counter (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_version integer NOT NULL
);
INSERT INTO model_version_counter (singleton, last_version) VALUES (true, 0);

-- production, previous, and any other alias. Writers lock the table (EXCLUSIVE mode: plain reads go
-- on) and NOTIFY digits_aliases when they change something.
CREATE TABLE model_aliases (
    alias   text    PRIMARY KEY,
    version integer NOT NULL REFERENCES model_versions (version)
);
CREATE INDEX model_aliases_version ON model_aliases (version);
