"""The signed-in home page (a visitor sees the landing page)."""
