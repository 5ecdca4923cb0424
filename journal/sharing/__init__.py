"""Share links: a read-only view of the journal for a practitioner, behind a secret token."""
