"""Shared machinery for the audits (axe-core, Nu HTML Checker, Lighthouse), the access-control sweep and the
benchmarks that need a real server. `pages.py` is the one list of pages to audit; `access_map.py` classifies
every URL name."""
