"""What the desk gives an applicant whose dossier it does not receive (SPEC §4): a request to
complete it (form 02, everything missing listed at once) or a refusal (form 03)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Desk
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.access import Actor, actor_user, may_receive_at
from motcua.dossiers.models import DeskNotice
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
        )
        # Issued as it is written: its number and date, whenever it is printed.
        paper_issue(
            form=notice.form,
            agency=desk.agency,
            issued_at=notice.created_at,
            desk_notice=notice,
        )
    return notice
