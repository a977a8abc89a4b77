import calendar as month_calendar
from datetime import date

from django.contrib import admin
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from motcua.agencies.admin_scope import AgencyScopedAdmin
from motcua.workcalendar.calendar import national_holiday_names
from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.selectors import calendar_build, calendar_cache_clear


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AgencyScopedAdmin):
    list_display = ["date", "kind", "reason", "agency"]
    list_filter = ["kind", "agency"]
    date_hierarchy = "date"
    list_select_related = ["agency"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            # Deployment-wide days are the province's; an agency administrator sets its own.
            form.base_fields["agency"].required = True
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar_cache_clear()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar_cache_clear()

    def get_urls(self):
        year_view = self.admin_site.admin_view(self.year_view)
        return [path("nam/<int:year>/", year_view, name="workcalendar_year"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        this_year = date.today().year
        extra_context["year_links"] = [
            (y, reverse("admin:workcalendar_year", args=[y]))
            for y in range(this_year - 1, this_year + 3)
        ]
        return super().changelist_view(request, extra_context)

    def year_view(self, request, year):
        """Each year's working calendar at a glance: holidays, overrides, make-up days."""
        work_calendar = calendar_build()
        names = national_holiday_names(year)
        overrides = {
            o.date: o for o in CalendarOverride.objects.filter(date__year=year, agency=None)
        }
        months = []
        for month in range(1, 13):
            weeks = []
            for week in month_calendar.Calendar().monthdatescalendar(year, month):
                cells = []
                for day in week:
                    working = work_calendar.is_working_day(day)
                    override = overrides.get(day)
                    cells.append(
                        {
                            "day": day,
                            "in_month": day.month == month,
                            "working": working,
                            "weekend_work": working and day.weekday() >= 5,
                            "note": override.reason if override else names.get(day, ""),
                        }
                    )
                weeks.append(cells)
            months.append({"number": month, "weeks": weeks})
        working_days = sum(
            1
            for month in range(1, 13)
            for d in range(1, month_calendar.monthrange(year, month)[1] + 1)
            if work_calendar.is_working_day(date(year, month, d))
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lịch làm việc năm %(year)s") % {"year": year},
            "year": year,
            "months": months,
            "working_days": working_days,
            "holidays": sorted(names.items()),
            "overrides": sorted(overrides.values(), key=lambda o: o.date),
            "previous": reverse("admin:workcalendar_year", args=[year - 1]),
            "next": reverse("admin:workcalendar_year", args=[year + 1]),
            "opts": self.model._meta,
        }
        return render(request, "admin/workcalendar/year.html", context)
