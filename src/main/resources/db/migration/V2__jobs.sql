-- Training jobs (digits.store=postgres). The job itself is the JSON of dev.digits.jobs.Job; the
-- columns beside it are what is queried, and the trainers' leases and cancellation requests.

CREATE TABLE jobs (
    id               text        PRIMARY KEY,
    job              jsonb       NOT NULL,
    state            text        NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    created_at       timestamptz NOT NULL,
    -- Idempotency-Key of POST /jobs: one job per key
    idempotency_key  text        UNIQUE,
    needs_gpu        boolean     NOT NULL DEFAULT false,
    -- the trainer holding the job, until lease_until (the database's clock)
    owner            text,
    lease_until      timestamptz,
    cancel_requested boolean     NOT NULL DEFAULT false,
    -- the latest stored checkpoint: {"epoch-0003/model-0000.params": "<sha256>", ...}, files in the blob store
    checkpoint       jsonb,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- What trainers claim from, oldest first.
CREATE INDEX jobs_unfinished ON jobs (created_at, id) WHERE state IN ('QUEUED', 'RUNNING');
-- GET /jobs, newest first, all or of one state.
CREATE INDEX jobs_newest ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_state_newest ON jobs (state, created_at DESC, id DESC);
