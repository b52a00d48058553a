"""The storage layer: atomic writes and reads of the book's files, and the cache of results
shared between chapters. It imports nothing of the package but its configuration; every
other layer may use it (the import contract in pyproject.toml keeps it so)."""
