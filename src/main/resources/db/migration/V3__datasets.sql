-- Uploaded datasets and feedback (digits.store=postgres).

-- The description (dataset.json) here; the gzipped IDX images and labels in the blob store.
CREATE TABLE datasets (
    id             text        PRIMARY KEY,
    info           jsonb       NOT NULL,
    images_sha256  text        NOT NULL CHECK (images_sha256 ~ '^[0-9a-f]{64}$'),
    labels_sha256  text        NOT NULL CHECK (labels_sha256 ~ '^[0-9a-f]{64}$'),
    created_at     timestamptz NOT NULL
);

-- The feedback dataset: one row per POST /feedback (or number feedback), holding all its samples,
-- so that a request is stored completely or not at all. Read back in the order of seq.
CREATE TABLE feedback_batches (
    seq        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    samples    integer     NOT NULL CHECK (samples > 0),
    -- one label byte per sample
    labels     bytea       NOT NULL,
    -- 784 pixel bytes (28x28, row-major) per sample
    pixels     bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (length(labels) = samples AND length(pixels) = samples * 784)
);
