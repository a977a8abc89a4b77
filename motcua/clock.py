"""The one clock of the domain code: "now" in Vietnam time (SPEC §6).

Services, rules and selectors call ``clock.now()`` (the module attribute, not an imported
name), so a test or a browser journey sets the time of the whole domain in one place:
``monkeypatch.setattr(clock, "now", lambda: moment)``.
"""

from datetime import datetime

from django.utils import timezone

from motcua.workcalendar.calendar import VN_TZ


def now() -> datetime:
    return timezone.now().astimezone(VN_TZ)
