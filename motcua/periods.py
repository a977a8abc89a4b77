"""Dates typed into the filters of registers, reports and boards: a date the calendar and
both databases can hold, or a clear message. A year like 0001 or 9999 is a typo or a probe;
turned into a moment in Vietnam time it would overflow (year 0) or fall outside what SQLite
compares, and the page would fail instead of saying so."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


EARLIEST_MESSAGE = _("Ngày phải từ 01/01/2000 trở đi.")
LATEST_MESSAGE = _("Ngày không được sau 31/12/2099.")


def period_date_error(day: date | None) -> str | None:
    """Why ``day`` cannot bound a period (None when it can, or when it is not given)."""
    if day is not None and day < EARLIEST:
        return str(EARLIEST_MESSAGE)
    if day is not None and day > LATEST:
        return str(LATEST_MESSAGE)
    return None


class PeriodDateField(forms.DateField):
    """A ``DateField`` between ``EARLIEST`` and ``LATEST``, as an ``<input type=date>``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(EARLIEST, EARLIEST_MESSAGE),
            MaxValueValidator(LATEST, LATEST_MESSAGE),
        ]
