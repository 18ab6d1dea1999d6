/// The database layout. Bump `version` whenever it changes; readers refuse other versions.
public enum Schema {
    public static let version = 3

    static let create = """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE provenance (
        position INTEGER PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL,
        ingested_at TEXT NOT NULL, tool_version TEXT NOT NULL, synthetic INTEGER NOT NULL);
    CREATE TABLE bases (
        position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source_name TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL, family TEXT NOT NULL, language TEXT NOT NULL, parameters_b REAL,
        context_length INTEGER, repository TEXT, in_main_grid INTEGER NOT NULL, registered INTEGER NOT NULL);
    CREATE TABLE datasets (
        position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source_name TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL, kind TEXT NOT NULL, left_out TEXT, category TEXT NOT NULL,
        source_repository TEXT, source_samples INTEGER, mean_length REAL, registered INTEGER NOT NULL);
    CREATE TABLE columns (
        position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source_name TEXT NOT NULL UNIQUE,
        benchmark TEXT NOT NULL, benchmark_name TEXT NOT NULL, display_name TEXT NOT NULL, shots INTEGER,
        category TEXT NOT NULL, unit TEXT NOT NULL, scale_min REAL, scale_max REAL,
        higher_is_better INTEGER NOT NULL, is_main INTEGER NOT NULL, registered INTEGER NOT NULL);
    CREATE TABLE runs (
        position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, base_id TEXT NOT NULL REFERENCES bases(id),
        base_pos INTEGER NOT NULL, dataset_id TEXT REFERENCES datasets(id), dataset_pos INTEGER, method TEXT, epochs INTEGER NOT NULL, samples INTEGER NOT NULL,
        schedule TEXT, is_base INTEGER NOT NULL, leave_one_out INTEGER NOT NULL,
        source_file TEXT NOT NULL, source_line INTEGER NOT NULL,
        -- NULL for the release; a user's run: its manifest's file name and the run's own name.
        source TEXT, label TEXT);
    -- Where each user score came from: tool and version, file, place in it, task, metric key, shots, and
    -- the tool's prompt or config hash. Released scores have no row here.
    CREATE TABLE score_sources (
        run INTEGER NOT NULL REFERENCES runs(position), col INTEGER NOT NULL REFERENCES columns(position),
        tool TEXT NOT NULL, tool_version TEXT, file TEXT NOT NULL, place TEXT NOT NULL, task TEXT NOT NULL,
        metric TEXT NOT NULL, shots INTEGER, config_hash TEXT, raw REAL NOT NULL, scale REAL NOT NULL,
        PRIMARY KEY (run, col)) WITHOUT ROWID;
    -- Column-major: one column's values are one contiguous range (read whole to rank runs by it);
    -- one run's values are a seek per column.
    CREATE TABLE scores (
        col INTEGER NOT NULL REFERENCES columns(position), run INTEGER NOT NULL REFERENCES runs(position),
        value REAL, PRIMARY KEY (col, run)) WITHOUT ROWID;
    -- The paper's analyses, computed at ingest: one JSON document per name and method ('' when none applies).
    CREATE TABLE analyses (
        name TEXT NOT NULL, method TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (name, method)) WITHOUT ROWID;
    CREATE TABLE grid_hyperparameters (
        method TEXT PRIMARY KEY, learning_rate REAL NOT NULL, batch_size INTEGER NOT NULL,
        weight_decay REAL NOT NULL, epochs INTEGER NOT NULL, prompt_template TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE grid_cells (
        position INTEGER PRIMARY KEY, study TEXT NOT NULL, run_id TEXT NOT NULL, base_id TEXT NOT NULL,
        dataset_id TEXT NOT NULL, method TEXT NOT NULL, epochs INTEGER NOT NULL, samples INTEGER NOT NULL,
        schedule TEXT NOT NULL, present INTEGER NOT NULL, reason TEXT);
    """
}
