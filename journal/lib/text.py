"""Cutting a person's text for a report without breaking a character apart."""

import unicodedata

ZWJ = "\u200d"  # joins emoji into one (a family, a profession)


def _continues(char: str) -> bool:
    """Whether `char` belongs to the character before it: a combining accent, a joiner, a variation selector, an
    emoji skin tone or a tag (subdivision flags)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char == ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tags
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF  # two make a flag


def cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` code points with a visible "…" (as Django's truncatechars), never between a
    character and what belongs to it (an accent typed as a combining mark, an emoji sequence, the two halves of a
    flag): the cut moves back to the start of that character."""
    if len(text) <= limit:
        return text
    end = limit - 1
    while end > 0 and (_continues(text[end]) or text[end - 1] == ZWJ):
        end -= 1
    run = 0  # regional indicators just before the cut: an odd number means a flag cut in half
    while run < end and _regional(text[end - 1 - run]):
        run += 1
    if run % 2:
        end -= 1
    return text[:end].rstrip() + "…"
