"""Types of the API's fields, so that what a column or the calendar cannot hold is a 422
naming the field, the same on SQLite and PostgreSQL, and is written in the OpenAPI document.

- ``text(n)`` / ``column(Model, "field")``: a string of at most ``n`` characters (the
  column's ``max_length``: SQLite would keep a longer one, PostgreSQL refuses it), with no NUL
  byte and no lone surrogate (no database stores them).
- ``CalendarMoment``: an ISO 8601 moment with its offset, within the years the working
  calendar counts (``motcua.workcalendar.calendar.FIRST_DAY`` … ``LAST_DAY``).
- ``Number``: a decimal written as a JSON number (``3``, ``0.5``), never as a string.
"""

from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from motcua.workcalendar.calendar import OUT_OF_RANGE, in_calendar_range

#: Kinds of the errors raised here; their messages are already Vietnamese.
OWN_KINDS = frozenset({"nul_character", "not_unicode", "calendar_range"})


def _storable(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Không được chứa ký tự NUL.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("not_unicode", "Chứa ký tự không hợp lệ.") from None
    return value


def text(max_length: int, *, min_length: int = 0):
    """A string that fits ``max_length`` characters and can be stored as it is."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length or None, max_length=max_length),
        AfterValidator(_storable),
    ]


def column_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def column(model, field: str, *, min_length: int = 0):
    """A string for ``model.field`` (or compared with it): its length is the column's."""
    return text(column_length(model, field), min_length=min_length)


def _in_calendar(moment):
    if not in_calendar_range(moment):
        raise PydanticCustomError("calendar_range", OUT_OF_RANGE)
    return moment


CalendarMoment = Annotated[AwareDatetime, AfterValidator(_in_calendar)]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


Number = Annotated[Decimal, PlainSerializer(_number, return_type=float)]


def number_in(low: int, high: int):
    """A decimal from ``low`` to ``high``, read from a JSON number or a query parameter and
    documented as a number (pydantic would say "number or string")."""
    return Annotated[
        Decimal,
        Field(ge=low, le=high),
        WithJsonSchema({"type": "number", "minimum": low, "maximum": high}),
    ]
