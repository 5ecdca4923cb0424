"""Values that both databases can store and read back, whichever path writes them (forms through the model
fields' validators, the JSON import through its schema).

Dates: PostgreSQL stores a timestamp before year 1 as a BC date that its driver then cannot read, and Python's
datetime overflows near years 1 and 9999 when it moves a time to UTC. Years YEAR_MIN to YEAR_MAX, in UTC and as
written, are far inside all of these and far wider than any real journal.
"""

from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

YEAR_MIN, YEAR_MAX = 1900, 2100
OUT_OF_RANGE = f"must fall between the years {YEAR_MIN} and {YEAR_MAX}"
OUT_OF_RANGE_MESSAGE = f"Choose a date between the years {YEAR_MIN} and {YEAR_MAX}."


def year_in_range(value: date) -> bool:
    """Whether `value` (a date, or a datetime also in UTC when it is aware) falls in YEAR_MIN..YEAR_MAX."""
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        return False
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            return YEAR_MIN <= value.astimezone(UTC).year <= YEAR_MAX
        except (OverflowError, ValueError):
            return False
    return True


@deconstructible
class StorableDateValidator:
    """A model field validator: the date or time must fall in YEAR_MIN..YEAR_MAX."""

    message = OUT_OF_RANGE_MESSAGE
    code = "date_out_of_range"

    def __call__(self, value: date | None) -> None:
        if value is not None and not year_in_range(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StorableDateValidator)

    def __hash__(self) -> int:
        return hash(self.code)


STORABLE_DATE = [StorableDateValidator()]
