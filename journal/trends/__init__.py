"""Trends: SQL aggregates of leg pain and releases, the meaningful-change rules and wording, and the charts."""
