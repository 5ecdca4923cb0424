"""Plain text only: user text may hold tabs and line breaks, never other control characters.

Control characters (U+0000-U+001F except tab, line feed and carriage return, and U+007F) have no place in a note or
a name: they are invalid in HTML and iCalendar text, and an escape character in a CSV opened in a terminal can drive
it. The invisible text-direction controls (embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069) are
refused too: a right-to-left override in a name reverses the text after it, which would let the name shown to a
clinician on the report or the share page read as something else. Right-to-left writing itself needs none of them.
Every form that takes free text refuses them with one message; the JSON import applies the same rule.
"""

import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator

CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
CONTROL_CHARACTER_MESSAGE = (
    "Remove the invisible control character (such as an escape, a bell or a text-direction override) from this text."
)

no_control_characters = RegexValidator(
    CONTROL_CHARACTER, message=CONTROL_CHARACTER_MESSAGE, code="control_character", inverse_match=True
)


class PlainTextForm:
    """Mixed into a form before Django's form class: every text field of the form refuses control characters."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and no_control_characters not in field.validators:
                field.validators.append(no_control_characters)
