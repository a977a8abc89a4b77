from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class CalendarOverride(models.Model):
    """An administrator's change to the national calendar for one day: an extra day off, or a
    make-up working day (ngày làm bù), announced late each year. Without ``agency`` it applies
    to every agency of the deployment."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("lý do / văn bản"), max_length=255)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("chỉ áp dụng cho cơ quan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "agency"], name="override_one_per_day_and_agency"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="override_one_per_day_everywhere",
            ),
        ]
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")

    def __str__(self):
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"


class OfficeHoursSeason(models.Model):
    """An agency's office hours (giờ làm việc) for part of the year, e.g. summer 1/4–30/9
    07:30–11:30 and 13:30–17:30. An agency with none uses the standard hours of SPEC §6."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="office_hours",
    )
    name = models.CharField(_("tên"), max_length=50, help_text=_("Ví dụ: Mùa hè"))
    start_month = models.PositiveSmallIntegerField(_("từ tháng"))
    start_day = models.PositiveSmallIntegerField(_("từ ngày"))
    end_month = models.PositiveSmallIntegerField(_("đến tháng"))
    end_day = models.PositiveSmallIntegerField(_("đến ngày"))
    morning_start = models.TimeField(_("sáng từ"))
    morning_end = models.TimeField(_("sáng đến"))
    afternoon_start = models.TimeField(_("chiều từ"))
    afternoon_end = models.TimeField(_("chiều đến"))

    class Meta:
        ordering = ["agency", "start_month", "start_day"]
        verbose_name = _("giờ làm việc theo mùa")
        verbose_name_plural = _("giờ làm việc theo mùa")

    def __str__(self):
        return (
            f"{self.name}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )

    def clean(self):
        errors = {}
        for month_field, day_field in (("start_month", "start_day"), ("end_month", "end_day")):
            month, day = getattr(self, month_field), getattr(self, day_field)
            if month is None or day is None:
                continue
            if not 1 <= month <= 12:
                errors[month_field] = _("Tháng phải từ 1 đến 12.")
            elif not 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
                errors[day_field] = _("Ngày không có trong tháng %(month)s.") % {"month": month}
        times = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if all(times) and not times[0] < times[1] <= times[2] < times[3]:
            errors["afternoon_start"] = _(
                "Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu "
                "< chiều kết thúc."
            )
        if errors:
            raise ValidationError(errors)
