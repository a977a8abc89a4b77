"""The applicant's rating of a finished dossier (SPEC §8): once per returned dossier, overall
and per criterion, on the scale of the national satisfaction survey — 3 rất hài lòng, 2 hài
lòng, 1 không hài lòng.

Whom it is about stays out of every officer's sight: no staff page, no API for officers and no
event of the dossier's trace shows a rating; leaders read aggregates only
(``selectors.satisfaction``). The row keeps the deciding agency and the procedure so the
aggregates are one indexed query, and nothing about the person who rated.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier


class Score(models.IntegerChoices):
    VERY_SATISFIED = 3, _("Rất hài lòng")
    SATISFIED = 2, _("Hài lòng")
    NOT_SATISFIED = 1, _("Không hài lòng")


#: SPEC §8's criteria: the API's key → the question asked.
CRITERIA = {
    "time_taken": _("Thời gian giải quyết hồ sơ"),
    "visits": _("Số lần phải đi lại để hoàn thành thủ tục"),
    "staff_attitude": _("Thái độ, tinh thần phục vụ của cán bộ"),
    "procedure_clarity": _("Thủ tục được công khai rõ ràng, dễ hiểu"),
    "online_service": _("Chất lượng dịch vụ công trực tuyến"),
}


class Rating(models.Model):
    class Channel(models.TextChoices):
        MESSAGE = "message", _("Đường dẫn trong tin nhắn")
        LOOKUP = "lookup", _("Trang tra cứu")
        KIOSK = "kiosk", _("Màn hình tại bộ phận một cửa")
        API = "api", _("API")

    #: One rating per dossier: a second one, even sent at the same instant, is refused by
    #: this unique column.
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="+")
    #: The deciding agency and the procedure when the rating was given, for the aggregates.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    overall = models.PositiveSmallIntegerField(_("đánh giá chung"), choices=Score.choices)
    time_taken = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    visits = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    staff_attitude = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    procedure_clarity = models.PositiveSmallIntegerField(
        choices=Score.choices, null=True, blank=True
    )
    online_service = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=3), name="rating_overall_1_to_3"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 1, f"{name}__lte": 3}),
                    name=f"rating_{name}_1_to_3",
                )
                for name in CRITERIA
            ),
        ]
        indexes = [models.Index(fields=["agency", "at"], name="rating_agency_at_idx")]
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self):
        return f"{self.get_overall_display()} ({self.at:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Đánh giá đã gửi không sửa được.")
        super().save(*args, **kwargs)
