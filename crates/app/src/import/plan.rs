//! Checking rows: each row's cells turned into what would be written, or its problems.
