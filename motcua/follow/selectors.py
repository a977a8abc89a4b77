"""Following a dossier from outside (SPEC §3: no personal data, no internal notes): the
public look-up's answer (``dossiers.selectors.dossier_public_status``, one statement) with
what the applicant needs besides — where it stands in their words, the fee due, whether they
may still rate it. At most one more small query: whether a returned dossier was rated (and,
its reading of the fee: ``payments.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Status
from motcua.follow import links
from motcua.follow.payments import fee_shown
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


#: What stands in place of the code of a dossier that has none: sent online and not (yet)
#: accepted by the desk (a code is given on acceptance, SPEC §4).
NO_CODE_WAITING = _("Chưa có mã hồ sơ: mã được cấp khi bộ phận một cửa tiếp nhận hồ sơ")
NO_CODE_CLOSED = _("Hồ sơ không có mã (không được tiếp nhận)")


def code_note(status: dict) -> str:
    """Empty for a dossier with a code; else what the applicant reads in its place."""
    if status["code"]:
        return ""
    return str(NO_CODE_WAITING if status["status"] == Status.SUBMITTED else NO_CODE_CLOSED)


def headline(status: dict) -> str:
    if status["status"] in (Status.RECEIVED, Status.PROCESSING):
        role = status["current_role"]
        if status["status"] == Status.PROCESSING or role != "desk_officer":
            return str(PROCESSING_HEADLINES.get(role, HEADLINES[Status.PROCESSING]))
    return str(HEADLINES[Status(status["status"])])


def dossier_follow(status: dict) -> dict:
    """The look-up's answer for the page, the kiosk and the API: ``code_note`` (what stands
    in place of a code not given yet), ``headline``, ``payment``
    (a ``FeeShown`` or None), ``may_rate`` / ``rated``, and ``form_token`` for the forms
    the page shows after verification (the rating)."""
    follow = dict(status)
    follow["code_note"] = code_note(status)
    follow["headline"] = headline(status)
    follow["payment"] = fee_shown(status)
    returned = status["status"] == Status.RETURNED
    follow["rated"] = returned and rating_given(dossier_id=status["_id"])
    follow["may_rate"] = returned and not follow["rated"]
    follow["form_token"] = links.form_token(status["_uid"])
    return follow
