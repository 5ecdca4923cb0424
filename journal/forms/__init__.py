"""Forms of the journal, one module per feature (runner, history, ...)."""
