"""The JSON backup of a whole account ("tenderspot-journal", version 1): `export` writes it as a stream, `schema`
declares it (and what the databases can hold), `reader` walks a file within bounds, `importer` restores it."""
