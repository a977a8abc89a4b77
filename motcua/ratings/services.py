"""Giving a rating (SPEC §8): the look-up page, the kiosk at the desk, the message's link and
the API all call ``rating_submit``, each after its own proof that the person holds the
dossier (a verification value, the QR code's or the message's signed link)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.dossiers.models import Dossier, Status
from motcua.ratings.models import CRITERIA, Rating, Score


class AlreadyRated(Exception):
    message = _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần.")


NOT_RETURNED = _("Chỉ đánh giá được hồ sơ đã trả kết quả.")


def _score(value, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if score not in Score.values or isinstance(value, bool):
        errors[field] = _("Chọn 3 (rất hài lòng), 2 (hài lòng) hoặc 1 (không hài lòng).")
        return None
    return score


def rating_errors(*, overall, criteria: Mapping[str, object]) -> tuple[dict, dict[str, str]]:
    """The scores as the row takes them, and a Vietnamese message per wrong field
    (``overall``, ``criteria.<name>``)."""
    errors: dict[str, str] = {}
    scores = {"overall": _score(overall, "overall", errors)}
    if scores["overall"] is None and "overall" not in errors:
        errors["overall"] = _("Chọn mức độ hài lòng chung.")
    for name in criteria:
        if name not in CRITERIA:
            errors[f"criteria.{name}"] = _("Không có tiêu chí này.")
    for name in CRITERIA:
        scores[name] = _score(criteria.get(name), f"criteria.{name}", errors)
    return scores, errors


def rating_submit(
    *, dossier_id: int, overall, criteria: Mapping[str, object], channel: str
) -> Rating:
    """Rate a returned dossier once. Raises ``ValidationError`` (a wrong score, a dossier
    not returned) or ``AlreadyRated`` — also when two ratings race: the second insert breaks
    the unique column and nothing is stored."""
    scores, errors = rating_errors(overall=overall, criteria=criteria)
    if errors:
        raise ValidationError(errors)
    dossier = (
        Dossier.objects.filter(pk=dossier_id)
        .values("status", "deciding_agency_id", "procedure_version__procedure_id")
        .first()
    )
    if dossier is None or dossier["status"] != Status.RETURNED:
        raise ValidationError(NOT_RETURNED)
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier_id=dossier_id,
                agency_id=dossier["deciding_agency_id"],
                procedure_id=dossier["procedure_version__procedure_id"],
                channel=Rating.Channel(channel),
                at=clock.now(),
                **scores,
            )
    except IntegrityError:
        if Rating.objects.filter(dossier_id=dossier_id).exists():
            raise AlreadyRated(AlreadyRated.message) from None
        raise
