"""The backup format, declared once: strict pydantic models whose limits come from the Django model fields.

Every value that passes is one both databases can store and read back: text without NUL characters, whole numbers
inside the column's range (PostgreSQL's, the narrower), dates and times between YEAR_MIN and YEAR_MAX (in UTC and
as written), times of day without a UTC offset. Errors name the field by its path ("sessions[4].pain_before: must
be between 0 and 10"); places in lists count from 1.

Database ids never appear: objects refer to one another by references made in the file ("builtin:<slug>" for the
shared catalogue, "custom:<n>" / "routine:<n>" for the user's own).
"""

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from pydantic import BaseModel, ConfigDict, PlainValidator, model_validator
from pydantic import ValidationError as SchemaError
from pydantic_core import PydanticCustomError

from accounts.models import PrecautionProfile, Profile, validate_time_zone
from config.text import CONTROL_CHARACTER
from journal.models import Release, Reminder, SafetyAnswer, Session, ShareLink
from journal.redflags import RedFlag
from journal.storable import OUT_OF_RANGE, year_in_range
from routines.models import Area, Point, Routine, RoutineStep

_Point_slug = Point._meta.get_field("slug")
_Routine_slug = Routine._meta.get_field("slug")
_Area_slug = Area._meta.get_field("slug")

FORMAT_NAME = "tenderspot-journal"
FORMAT_VERSION = 1
POSITION_MAX = 10_000  # steps of one routine or session
BUILTIN_PREFIX = "builtin:"
# The longest reference: a built-in point's or routine's slug after its prefix ("custom:<n>" and "routine:<n>" are
# shorter).
REF_MAX_LENGTH = len(BUILTIN_PREFIX) + max(_f.max_length or 0 for _f in (_Point_slug, _Routine_slug))
AREA_SLUG_MAX_LENGTH = _Area_slug.max_length
AREAS_MAX = 50  # areas one point is also listed in (a bound by shape: the catalogue has a dozen)

__all__ = ["SchemaError", "first_error"]


def _fail(kind: str, message: str, **context: Any) -> NoReturn:
    raise PydanticCustomError(kind, message, context)


def _field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    return model._meta.get_field(name)  # type: ignore[return-value]


def _max_length(field: "models.Field[Any, Any]") -> int | None:
    limits = [v.limit_value for v in field._validators if isinstance(v, MaxLengthValidator)]  # type: ignore[attr-defined]
    if field.max_length is not None:
        limits.append(field.max_length)
    return min(limits) if limits else None


def _checked(check: Callable[[Any], Any], null: bool) -> PlainValidator:
    def validate(value: Any) -> Any:
        if value is None and null:
            return None
        return check(value)

    return PlainValidator(validate)


def text(model: type[models.Model], name: str, *, blank: bool | None = None) -> Any:
    """Text for `model.name`: its max_length (or MaxLengthValidator), no NUL (PostgreSQL refuses it), not blank
    unless the field allows it."""
    field = _field(model, name)
    limit = _max_length(field)
    allow_blank = field.blank if blank is None else blank
    return _text(limit, allow_blank)


def _text(limit: int | None, allow_blank: bool) -> Any:
    return Annotated[str, PlainValidator(_text_check(limit, allow_blank))]


def _text_check(limit: int | None, allow_blank: bool) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            _fail("text_type", "expected text")
        if limit is not None and len(value) > limit:
            _fail("text_too_long", "longer than {limit} characters", limit=limit)
        if CONTROL_CHARACTER.search(value):
            _fail(
                "text_control",
                "contains a control character (U+0000-U+001F other than tab and line breaks, U+007F, or a "
                "text-direction control)",
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            _fail("text_encoding", "contains a character that is not valid Unicode")
        if not allow_blank and not value.strip():
            _fail("text_blank", "must not be empty")
        return value

    return check


def integer_range(field: "models.Field[Any, Any]") -> tuple[int, int]:
    """The range a whole-number field accepts: its validators within the column's range on PostgreSQL (the
    narrower of the two databases: SQLite holds any 64-bit integer)."""
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    for validator in field._validators:  # type: ignore[attr-defined]
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = min(high, validator.limit_value)
    return low, high


def whole(model: type[models.Model], name: str, *, low: int | None = None, high: int | None = None) -> Any:
    """A whole number for `model.name` (never a bool or 1.0), inside `integer_range`, narrowed by `low`/`high`."""
    field = _field(model, name)
    field_low, field_high = integer_range(field)
    low = field_low if low is None else max(low, field_low)
    high = field_high if high is None else min(high, field_high)

    def check(value: Any) -> int:
        if type(value) is not int:
            _fail("int_type", "expected a whole number")
        if not low <= value <= high:
            _fail("int_range", "must be between {low} and {high}", low=low, high=high)
        return value

    return Annotated[int | None, _checked(check, field.null)] if field.null else Annotated[int, PlainValidator(check)]


def flag(model: type[models.Model], name: str) -> Any:
    null = _field(model, name).null

    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            _fail("bool_type", "expected true or false")
        return value

    return Annotated[bool | None, _checked(check, True)] if null else Annotated[bool, PlainValidator(check)]


def choice(model: type[models.Model], name: str, *, blank: bool = False) -> Any:
    """One of the field's choices (`blank`: "" too, for a field whose empty value means "not chosen")."""
    values: Sequence[str] = [value for value, _label in _field(model, name).choices or []] + ([""] if blank else [])

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            _fail("choice", "must be one of {values}", values=", ".join(repr(v) for v in values))
        return value

    return Annotated[str, PlainValidator(check)]


def _in_years(moment: date) -> None:
    if not year_in_range(moment):
        _fail("date_range", OUT_OF_RANGE)


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        _fail("datetime_type", "expected a date and time such as 2026-01-31T08:00:00+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail("datetime_type", "expected a date and time such as 2026-01-31T08:00:00+00:00")
    if parsed.tzinfo is None:
        _fail("datetime_naive", "the time needs its UTC offset")
    _in_years(parsed)
    return parsed.astimezone(UTC)


def _day(value: Any) -> date:
    if not isinstance(value, str):
        _fail("date_type", "expected a date such as 2026-01-31")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        _fail("date_type", "expected a date such as 2026-01-31")
    _in_years(parsed)
    return parsed


def _time_of_day(value: Any) -> time:
    if not isinstance(value, str):
        _fail("time_type", "expected a time such as 07:30:00")
    try:
        parsed = time.fromisoformat(value)
    except ValueError:
        _fail("time_type", "expected a time such as 07:30:00")
    if parsed.tzinfo is not None:
        _fail("time_offset", "expected a time of day without a UTC offset, such as 07:30:00")
    return parsed


def decimal(model: type[models.Model], name: str) -> Any:
    """A number for the DecimalField `model.name` (text, a whole number or a Decimal; never a float or a bool):
    inside its Min/MaxValueValidators, rounded to its decimal places, and no more digits than it holds."""
    field = _field(model, name)
    places = Decimal(1).scaleb(-(field.decimal_places or 0))  # type: ignore[attr-defined]
    highest = Decimal(10) ** ((field.max_digits or 0) - (field.decimal_places or 0)) - places  # type: ignore[attr-defined]
    low, high = -highest, highest
    for validator in field._validators:  # type: ignore[attr-defined]
        if isinstance(validator, MinValueValidator):
            low = max(low, Decimal(validator.limit_value))
        elif isinstance(validator, MaxValueValidator):
            high = min(high, Decimal(validator.limit_value))

    def check(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            _fail("decimal_type", "expected a number")
        try:
            number = Decimal(value)
        except (InvalidOperation, ValueError):
            _fail("decimal_type", "expected a number")
        if not number.is_finite() or not low <= number <= high:
            _fail("decimal_range", "must be between {low} and {high}", low=low, high=high)
        return number.quantize(places)

    return Annotated[Decimal, PlainValidator(check)]


def _time_zone(value: Any) -> str:
    if not isinstance(value, str):
        _fail("text_type", "expected text")
    try:
        validate_time_zone(value)
    except DjangoValidationError:
        _fail("time_zone", "unknown time zone {zone}", zone=repr(value[:64]))
    return value


def _red_flag_code(value: Any) -> str:
    if not isinstance(value, str) or value not in RedFlag.values:
        _fail("red_flag", "each must be one of {values}", values=", ".join(repr(v) for v in RedFlag.values))
    return value


def _weekdays(value: Any) -> list[int]:
    if not isinstance(value, list) or not value or any(type(d) is not int or d not in range(7) for d in value):
        _fail("weekdays", "expected day numbers 0 (Monday) to 6 (Sunday)")
    return sorted(set(value))  # as ReminderForm.clean_weekdays stores them


def _list_of[T](item: Callable[[Any], T], most: int) -> Callable[[Any], list[T]]:
    def check(value: Any) -> list[T]:
        if not isinstance(value, list):
            _fail("list_type", "expected a list")
        if len(value) > most:
            _fail("list_too_long", "has more than {most} items", most=most)
        return [item(v) for v in value]

    return check


Moment = Annotated[datetime, PlainValidator(_moment)]
MaybeMoment = Annotated[datetime | None, _checked(_moment, True)]
Day = Annotated[date, PlainValidator(_day)]
MaybeDay = Annotated[date | None, _checked(_day, True)]
_ref = _text_check(REF_MAX_LENGTH, allow_blank=False)
_area_slug = _text_check(AREA_SLUG_MAX_LENGTH, allow_blank=False)
Ref = Annotated[str, PlainValidator(_ref)]
MaybeRef = Annotated[str | None, _checked(_ref, True)]
MaybeAreaSlug = Annotated[str | None, _checked(_area_slug, True)]
AreaSlugs = Annotated[list[str], PlainValidator(_list_of(_area_slug, AREAS_MAX))]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ProfileData(Strict):
    time_zone: Annotated[str, PlainValidator(_time_zone)]
    default_hold_seconds: whole(Profile, "default_hold_seconds")
    sound_on: flag(Profile, "sound_on")
    lead_in_seconds: whole(Profile, "lead_in_seconds")
    safety_acknowledged_at: MaybeMoment = None
    # Files from before these settings have none: "" lets the time zone decide the care region, as it did then;
    # hands-free running is off, as it was.
    care_region: choice(Profile, "care_region", blank=True) = ""
    auto_start_next: flag(Profile, "auto_start_next") = False
    spoken_cues: flag(Profile, "spoken_cues") = False
    # The practitioner report's name and questions: files from before them have none, and the account's stay.
    report_name: text(Profile, "report_name") = ""
    report_questions: text(Profile, "report_questions") = ""


class PrecautionData(Strict):
    """The optional precaution profile (accounts.PrecautionProfile): private health answers, restored with the
    rest so that the cautions they switch on are not lost with a move."""

    diabetes: flag(PrecautionProfile, "diabetes") = False
    reduced_foot_feeling: flag(PrecautionProfile, "reduced_foot_feeling") = False
    foot_ulcer: flag(PrecautionProfile, "foot_ulcer") = False
    blood_thinners: flag(PrecautionProfile, "blood_thinners") = False
    bleeding_disorder: flag(PrecautionProfile, "bleeding_disorder") = False
    past_cancer: flag(PrecautionProfile, "past_cancer") = False
    osteoporosis: flag(PrecautionProfile, "osteoporosis") = False
    long_term_steroids: flag(PrecautionProfile, "long_term_steroids") = False
    recent_surgery: flag(PrecautionProfile, "recent_surgery") = False
    pregnant: flag(PrecautionProfile, "pregnant") = False
    painful_leg: choice(PrecautionProfile, "painful_leg", blank=True) = ""
    episode_started: MaybeDay = None
    clinician_assessed: choice(PrecautionProfile, "clinician_assessed", blank=True) = ""
    reviewed_at: MaybeMoment = None
    feet_confirmed_at: MaybeMoment = None


class RangeData(Strict):
    start: MaybeDay = None
    end: MaybeDay = None


class PointData(Strict):
    ref: Ref
    name: text(Point, "name")
    area: MaybeAreaSlug = None
    also_listed_in: AreaSlugs = []
    location: text(Point, "location") = ""
    how_to_find: text(Point, "how_to_find") = ""
    technique: text(Point, "technique") = ""
    tool: text(Point, "tool") = ""
    default_hold_seconds: whole(Point, "default_hold_seconds")
    pressure_guidance: text(Point, "pressure_guidance") = ""
    referral_note: text(Point, "referral_note") = ""
    evidence_level: choice(Point, "evidence_level")
    evidence_note: text(Point, "evidence_note") = ""
    contraindications: text(Point, "contraindications") = ""
    map_view: choice(Point, "map_view")
    map_x: decimal(Point, "map_x")
    map_y: decimal(Point, "map_y")
    order: whole(Point, "order")
    created_at: Moment


class StepData(Strict):
    position: whole(RoutineStep, "position", low=1, high=POSITION_MAX)
    point: Ref
    side: choice(RoutineStep, "side")
    hold_seconds: whole(RoutineStep, "hold_seconds", low=1)


class RoutineData(Strict):
    ref: Ref
    name: text(Routine, "name")
    description: text(Routine, "description") = ""
    archived: flag(Routine, "archived")
    copied_from: MaybeRef = None
    created_at: Moment
    steps: list[StepData] = []


class PlanStepData(Strict):
    point: MaybeRef = None
    point_name: text(Release, "point_name", blank=True) = ""
    side: choice(Release, "side")
    hold_seconds: whole(Release, "prescribed_seconds", low=1)


class ReleaseData(Strict):
    position: whole(Release, "position", low=1, high=POSITION_MAX)
    point: MaybeRef = None
    point_name: text(Release, "point_name", blank=True) = ""
    side: choice(Release, "side")
    prescribed_seconds: whole(Release, "prescribed_seconds")
    held_seconds: whole(Release, "held_seconds")
    started_at: MaybeMoment = None
    ended_at: MaybeMoment = None
    skipped: flag(Release, "skipped")
    tender: flag(Release, "tender") = None
    pressure: whole(Release, "pressure") = None
    pain_now: whole(Release, "pain_now") = None
    stopped_early: flag(Release, "stopped_early")
    notes: text(Release, "notes") = ""
    logged_at: Moment


class SessionData(Strict):
    routine: MaybeRef = None
    routine_name: text(Session, "routine_name")
    plan: list[PlanStepData] = []
    started_at: Moment
    local_date: Day
    finished_at: MaybeMoment = None
    last_activity_at: Moment
    status: choice(Session, "status")
    pain_before: whole(Session, "pain_before") = None
    pain_after: whole(Session, "pain_after") = None
    back_pain_before: whole(Session, "back_pain_before") = None
    back_pain_after: whole(Session, "back_pain_after") = None
    safety_check: choice(Session, "safety_check")
    # Which warning signs a red flag reported (journal.redflags codes; the tier is worked out from them), and when
    # the person said a clinician had assessed them. A "yes" from a file made before the signs were asked one by
    # one has none: it is kept as an unspecified sign.
    red_flag_items: Annotated[list[str], PlainValidator(_list_of(_red_flag_code, len(RedFlag.values)))] = []
    red_flag_tier: choice(Session, "red_flag_tier", blank=True) = ""  # for readers of the file; import ignores it
    red_flag_assessed_at: MaybeMoment = None
    notes: text(Session, "notes") = ""
    releases: list[ReleaseData] = []

    @model_validator(mode="after")
    def _signs_only_with_a_red_flag(self) -> "SessionData":
        if self.safety_check != SafetyAnswer.YES and (self.red_flag_items or self.red_flag_assessed_at is not None):
            _fail("red_flag_without_yes", "warning signs are only recorded with safety_check 'yes'")
        return self

    @property
    def natural_key(self) -> tuple[datetime, str]:
        return (self.started_at, self.routine_name)


class ShareLinkData(Strict):
    label: text(ShareLink, "label")
    start_date: MaybeDay = None
    end_date: MaybeDay = None
    created_at: Moment
    expires_at: Moment
    revoked_at: MaybeMoment = None
    last_opened_at: MaybeMoment = None
    times_opened: whole(ShareLink, "times_opened")


class ReminderData(Strict):
    routine: MaybeRef = None
    weekdays: Annotated[list[int], PlainValidator(_weekdays)]
    time_of_day: Annotated[time, PlainValidator(_time_of_day)]
    duration_minutes: whole(Reminder, "duration_minutes", low=1)
    created_at: Moment
    revoked_at: MaybeMoment = None


# The lists of the file, in the order they are restored, with the model of one item and the most items accepted
# (bounds by shape: a backup of 50 years with ten sessions a day fits).
LISTS: dict[str, tuple[type[Strict], int]] = {
    "points": (PointData, 10_000),
    "routines": (RoutineData, 10_000),
    "sessions": (SessionData, 200_000),
    "share_links": (ShareLinkData, 10_000),
    "reminders": (ReminderData, 10_000),
}
# The other keys of the envelope ("format" and "version" are read before anything else).
ENVELOPE: dict[str, type[Strict] | None] = {
    "format": None,
    "version": None,
    "exported_at": None,
    "range": RangeData,
    "profile": ProfileData,
    "precautions": PrecautionData,
}

_MESSAGES = {
    "missing": "is missing",
    "extra_forbidden": "is not part of the format",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "dict_type": "expected an object",
    "list_type": "expected a list",
    "too_long": "has too many items",
}


def place(where: str, loc: Sequence[str | int]) -> str:
    """'sessions[4]' + ('releases', 0, 'side') -> 'sessions[4].releases[1].side'."""
    path = where
    for part in loc:
        path += f"[{part + 1}]" if isinstance(part, int) else f".{part}"
    return path


def first_error(error: SchemaError, where: str) -> str:
    """The first problem of `error` as "path: what is wrong" in our own words."""
    problem = error.errors(include_url=False, include_input=False)[0]
    message = _MESSAGES.get(problem["type"], problem["msg"])
    return f"{place(where, problem['loc'])}: {message}"


def validate_item(model: type[Strict], value: Any, where: str) -> Any:
    """`model` made from `value`; raises ValueError("path: problem") on the first problem."""
    try:
        return model.model_validate(value, strict=True)
    except SchemaError as error:
        raise ValueError(first_error(error, where)) from None
