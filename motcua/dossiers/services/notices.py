"""What the desk gives an applicant whose dossier it does not receive (SPEC §4): a request to
complete it (form 02, everything missing listed at once) or a refusal (form 03); and the same
form 02 for a received dossier when processing finds something missing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.agencies.models import Desk, Membership
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.access import Actor, actor_user, may_receive_at
from motcua.dossiers.models import DeskNotice, Dossier
from motcua.dossiers.papers import paper_issue
from motcua.dossiers.services.receipt import Applicant, applicant_errors, phone_clean


def desk_notice_create(
    *,
    kind: str,
    desk: Desk,
    procedure_version: ProcedureVersion,
    applicant: Applicant,
    items: list[str],
    reason: str,
    actor: Actor,
) -> DeskNotice:
    """Form 02 (request to complete: nothing is received) or form 03 (refusal at the desk)."""
    if not may_receive_at(actor, desk) or actor_user(actor) is None:
        raise PermissionDenied(_("Chỉ cán bộ một cửa của bộ phận này lập phiếu."))
    errors = {k: v for k, v in applicant_errors(applicant).items() if k != "applicant.phone"}
    items = [item.strip() for item in items if item.strip()]
    if kind == DeskNotice.Kind.COMPLETE and not items:
        errors["items"] = _("Liệt kê đầy đủ, một lần, mọi giấy tờ cần bổ sung.")
    if not reason.strip():
        errors["reason"] = _("Ghi rõ lý do.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = DeskNotice.objects.create(
            kind=kind,
            desk=desk,
            procedure_version=procedure_version,
            applicant_name=applicant.name.strip(),
            applicant_id_number=applicant.id_number.strip(),
            applicant_phone=phone_clean(applicant.phone),  # stored as a dossier stores it
            applicant_address=applicant.address.strip(),
            items=items,
            reason=reason.strip(),
            officer=actor_user(actor),
            created_at=clock.now(),
        )
        # Issued as it is written: its number and date, whenever it is printed.
        paper_issue(
            form=notice.form,
            agency=desk.agency,
            issued_at=notice.created_at,
            desk_notice=notice,
        )
    return notice


#: At most this many items, each at most this long: a list a person can bring in one visit.
MAX_ITEMS, MAX_ITEM_LENGTH = 30, 500
DEFAULT_REASON = _("Hồ sơ chưa đầy đủ, hợp lệ theo quy định của thủ tục hành chính.")


def missing_documents_clean(items) -> list[str]:
    """The numbered list of what is missing, as given (blank lines dropped); a
    ``ValidationError`` when it is empty or too long."""
    if isinstance(items, str):
        items = items.splitlines()
    cleaned = [str(item).strip() for item in items or () if str(item).strip()]
    if not cleaned:
        raise ValidationError(
            {"missing_documents": _("Liệt kê đầy đủ, một lần, mọi giấy tờ cần bổ sung.")}
        )
    if len(cleaned) > MAX_ITEMS or any(len(item) > MAX_ITEM_LENGTH for item in cleaned):
        raise ValidationError(
            {
                "missing_documents": _(
                    "Tối đa %(n)s giấy tờ, mỗi giấy tờ không quá %(length)s ký tự."
                )
                % {"n": MAX_ITEMS, "length": MAX_ITEM_LENGTH}
            }
        )
    return cleaned


def contact_phone(user, dossier: Dossier) -> str:
    """The phone of ``user`` as the dossier's contact officer: the one of their post at the
    dossier's current unit, else at its desk, else at its deciding agency, else any."""
    if user is None:
        return ""
    posts = [
        (m.unit_id, m.desk_id, m.agency_id, m.phone)
        for m in Membership.objects.filter(user=user).exclude(phone="").order_by("pk")
    ]

    def rank(post):
        unit, desk, agency, _phone = post
        if unit is not None and unit == dossier.current_unit_id:
            return 0
        if desk is not None and desk == dossier.receiving_desk_id:
            return 1
        return 2 if agency == dossier.deciding_agency_id else 3

    return min(posts, key=rank)[3] if posts else ""


def dossier_notice_create(
    *, dossier: Dossier, items: list[str], reason: str, actor: Actor
) -> DeskNotice:
    """Form 02 for a received dossier (a request to complete during processing), given
    through the dossier's desk exactly as at reception; the contact is the officer who
    asked. The caller (``dossier_apply``) has checked who may ask and holds the row lock."""
    user = actor_user(actor)
    user = user if user is not None and user.pk else None
    return DeskNotice.objects.create(
        kind=DeskNotice.Kind.COMPLETE,
        desk=dossier.receiving_desk,
        dossier=dossier,
        procedure_version=dossier.procedure_version,
        applicant_name=dossier.applicant_name,
        applicant_id_number=dossier.applicant_id_number,
        applicant_phone=dossier.applicant_phone,
        applicant_address=dossier.applicant_address,
        items=items,
        reason=reason or str(DEFAULT_REASON),
        officer=user,
        contact_phone=contact_phone(user, dossier),
        created_at=clock.now(),
    )
