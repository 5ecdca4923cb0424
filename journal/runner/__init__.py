"""The session runner: the red-flag check, each step's hold and log, the finish, the quick log, and the follow-up
after a red flag. The release itself is saved by `Session.log_release` (journal/models.py)."""
