"""Following a dossier from outside (SPEC §3: no personal data, no internal notes): the
public look-up's answer (``dossiers.selectors.dossier_public_status``, one statement) with
what the applicant needs besides — where it stands in their words, the fee, the electronic
result to download, whether they may still rate it. At most one more small query: whether a
returned dossier was rated (and the payments app's reading, ``payments.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Attachment, ResultDelivery, Status
from motcua.follow import links
from motcua.follow.payments import payment_due
from motcua.ratings.selectors import rating_given

#: Where the dossier stands, in the applicant's words.
HEADLINES = {
    Status.SUBMITTED: _("Đã gửi, chờ bộ phận một cửa tiếp nhận"),
    Status.RECEIVED: _("Đã tiếp nhận"),
    Status.PROCESSING: _("Đang giải quyết"),
    Status.WAITING_APPLICANT: _("Cần ông/bà bổ sung giấy tờ"),
    Status.WAITING_PAYMENT: _("Chờ ông/bà nộp phí, lệ phí, nghĩa vụ tài chính"),
    Status.RESULT_READY: _("Đã có kết quả"),
    Status.RETURNED: _("Đã trả kết quả"),
    Status.REFUSED: _("Không được tiếp nhận"),
    Status.REJECTED: _("Không giải quyết"),
    Status.STOPPED: _("Dừng giải quyết"),
    Status.WITHDRAWN: _("Đã rút hồ sơ"),
}
#: Processing, by who holds the step now.
PROCESSING_HEADLINES = {
    "desk_officer": _("Đang ở bộ phận một cửa"),
    "specialist": _("Đang thẩm định"),
    "unit_head": _("Đang thẩm định"),
    "agency_leader": _("Đang trình lãnh đạo ký duyệt"),
}
#: The result can be downloaded from the moment it is signed.
RESULT_STATUSES = (Status.RESULT_READY, Status.RETURNED)


def headline(status: dict) -> str:
    if status["status"] in (Status.RECEIVED, Status.PROCESSING):
        role = status["current_role"]
        if status["status"] == Status.PROCESSING or role != "desk_officer":
            return str(PROCESSING_HEADLINES.get(role, HEADLINES[Status.PROCESSING]))
    return str(HEADLINES[Status(status["status"])])


def dossier_follow(status: dict) -> dict:
    """The look-up's answer for the page, the kiosk and the API: ``headline``, ``payment``
    (a ``PaymentDue`` or None), ``result`` with its download page (``result["url"]``, a
    signed link that expires), ``may_rate`` / ``rated``, and ``form_token`` for the forms
    the page shows after verification (the rating)."""
    follow = dict(status)
    follow["headline"] = headline(status)
    follow["payment"] = payment_due(status)
    result = status["result"]
    if result is not None and status["status"] in RESULT_STATUSES:
        follow["result"] = {**result, "url": links.result_path(result["id"])}
    else:
        follow["result"] = None
    returned = status["status"] == Status.RETURNED
    follow["rated"] = returned and rating_given(dossier_id=status["_id"])
    follow["may_rate"] = returned and not follow["rated"]
    follow["form_token"] = links.form_token(status["_uid"])
    return follow


# --- the electronic result ------------------------------------------------------------


@dataclass(frozen=True)
class ResultFile:
    """An electronic result the applicant may download: its name, size and SHA-256 (so a
    copy can be checked against the original) and the signed page to download it from."""

    dossier_id: int
    attachment_id: int
    name: str
    size: int
    sha256: str

    @property
    def url(self) -> str:
        return links.result_path(self.attachment_id)


def _results(qs) -> list[Attachment]:
    return list(
        qs.filter(
            kind=Attachment.Kind.RESULT,
            dossier__result_delivery=ResultDelivery.ONLINE,
            dossier__status__in=RESULT_STATUSES,
        )
        .order_by("dossier_id", "-pk")
        .only("pk", "dossier_id", "original_name", "size", "sha256")
    )


def result_files(*, dossier_ids: Iterable[int]) -> dict[int, ResultFile]:
    """For "my dossiers" (the citizen's account): the electronic result of each of those
    dossiers that has one to download, in one query. The caller passes only the dossiers
    the citizen may see (``access.dossier_scope``)."""
    found: dict[int, ResultFile] = {}
    for a in _results(Attachment.objects.filter(dossier_id__in=list(dossier_ids))):
        found.setdefault(  # the latest result of each dossier
            a.dossier_id, ResultFile(a.dossier_id, a.pk, a.original_name, a.size, a.sha256)
        )
    return found


def result_attachment_get(*, attachment_id: int) -> Attachment | None:
    """The result a signed link names, while it may be downloaded: an electronic result of
    a dossier delivered online, signed (result ready) or returned. With its dossier's code
    and procedure."""
    return (
        Attachment.objects.filter(
            pk=attachment_id,
            kind=Attachment.Kind.RESULT,
            dossier__result_delivery=ResultDelivery.ONLINE,
            dossier__status__in=RESULT_STATUSES,
        )
        .select_related("dossier__procedure_version")
        .first()
    )
