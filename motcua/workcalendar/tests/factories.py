from datetime import time

from motcua.workcalendar.models import OfficeHoursSeason


def summer_season(agency, **overrides) -> OfficeHoursSeason:
    """The seed article's summer hours (1/4–30/9: 07:30–11:30, 13:30–17:30), saved unless a
    test overrides a field to build an invalid one."""
    fields = {
        "agency": agency, "name": "Mùa hè", "start_month": 4, "start_day": 1, "end_month": 9,
        "end_day": 30, "morning_start": time(7, 30), "morning_end": time(11, 30),
        "afternoon_start": time(13, 30), "afternoon_end": time(17, 30),
    }  # fmt: skip
    fields.update(overrides)
    season = OfficeHoursSeason(**fields)
    if not overrides:
        season.save()
    return season
