"""Cutting a person's text for a report (journal.lib.text.cut): never inside a character."""

import pytest

from journal.lib.text import cut


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("x" * 12, 10, "x" * 9 + "…"),
        ("x" * 8 + "e\u0301e\u0301", 10, "x" * 8 + "…"),  # é typed as e + a combining accent keeps its accent
        ("x" * 7 + "\U0001f468\u200d\U0001f469\u200d\U0001f467 end", 10, "x" * 7 + "…"),  # a family stays whole
        ("x" * 8 + "\U0001f44d\U0001f3fd!!", 10, "x" * 8 + "…"),  # a thumb keeps its skin tone
        ("x" * 8 + "\U0001f1ec\U0001f1e7\U0001f1eb\U0001f1f7", 11, "x" * 8 + "\U0001f1ec\U0001f1e7…"),  # a flag
        ("x" * 9 + "\U0001f1ec\U0001f1e7 and more", 11, "x" * 9 + "…"),  # a flag is two letters, never one
        ("Calmer and calmer still", 12, "Calmer and…"),
    ],
)
def test_cut_never_splits_a_character(text, limit, expected):
    assert cut(text, limit) == expected
    assert len(cut(text, limit)) <= limit
