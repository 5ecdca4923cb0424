"""The session list, a session's page, and in-place edits of sessions and releases."""
