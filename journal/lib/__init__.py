"""Plumbing shared by the features above it: date ranges, secret tokens and links, limits on heavy requests."""
