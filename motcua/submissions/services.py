"""Online submission (SPEC §4, §12.3): a citizen fills in a draft step by step — the
applicant, a file for each required document, how to receive the result — and submits it;
it becomes a dossier in DVCQG status 1 at the intake desk of the agency they chose, and the
desk checks it (accept, ask to complete online, refuse: ``dossiers.transitions``).

Every write here is one use case; the dossier itself is written by
``dossiers.services.dossier_submit``, as for any other submitted dossier.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, fields
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from motcua import clock
from motcua.agencies.models import Agency
from motcua.agencies.selectors import intake_desk
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.dossiers import access
from motcua.dossiers.files import IncomingFile
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.services import (
    AlreadyReceived,
    Applicant,
    Receipt,
    SubmissionKey,
    applicant_errors,
    dossier_submit,
)
from motcua.submissions.models import Draft, DraftFile
from motcua.submissions.selectors import (
    accepts_online,
    agencies_for_submission,
    applicant_prefill,
)

#: The steps of the form, in order, by the names of their pages.
STEPS = ("applicant", "documents", "delivery", "review")
FOLDER = "drafts"
#: Drafts nobody touched for this many days are abandoned (``drafts_delete_abandoned``).
DRAFT_KEEP_DAYS = 30
APPLICANT_FIELDS = tuple(f.name for f in fields(Applicant))


def _citizen(user) -> access.Citizen:
    actor = access.actor_for_user(user)
    if not isinstance(actor, access.Citizen):
        raise PermissionDenied(_("Tài khoản cán bộ không nộp hồ sơ trực tuyến."))
    return actor


def draft_start(*, user, version: ProcedureVersion, agency: Agency) -> Draft:
    """A new draft of ``version`` for ``agency`` (one of those the procedure may be sent
    to), with the applicant known from the profile, if any."""
    _citizen(user)
    errors = {}
    if version.status != ProcedureVersion.Status.PUBLISHED or not accepts_online(version):
        errors["procedure"] = _("Thủ tục này không nhận hồ sơ trực tuyến.")
    elif agency.pk not in {a.pk for a in agencies_for_submission(version=version)}:
        errors["agency"] = _("Cơ quan này không giải quyết thủ tục này.")
    if errors:
        raise ValidationError(errors)
    prefill = applicant_prefill(user)
    now = clock.now()
    return Draft.objects.create(
        user=user,
        procedure_version=version,
        agency=agency,
        applicant=asdict(prefill) if prefill is not None else {},
        created_at=now,
        updated_at=now,
    )


def draft_applicant(draft: Draft) -> Applicant | None:
    """The applicant as saved in the draft, or None before the step was done."""
    if not draft.applicant:
        return None
    return Applicant(**{k: v for k, v in draft.applicant.items() if k in APPLICANT_FIELDS})


def online_applicant_errors(applicant: Applicant) -> dict[str, str]:
    """The receipt's own checks, and a phone number or an e-mail address: the applicant is
    told online what becomes of the dossier (SPEC §4)."""
    errors = applicant_errors(applicant)
    if not applicant.phone.strip() and not applicant.email.strip():
        errors.setdefault(
            "applicant.phone",
            _("Nhập số điện thoại hoặc thư điện tử để nhận thông báo về hồ sơ."),
        )
    return errors


def draft_applicant_save(*, draft: Draft, applicant: Applicant) -> None:
    errors = online_applicant_errors(applicant)
    if errors:
        raise ValidationError(errors)
    draft.applicant = asdict(applicant)
    draft.updated_at = clock.now()
    draft.save(update_fields=["applicant", "updated_at"])


def draft_documents(draft: Draft) -> list[tuple[RequiredDocument, DraftFile | None]]:
    """Each document the procedure requires, with the file uploaded for it (or None)."""
    uploaded = {f.required_document_id: f for f in draft.files.all()}
    return [(doc, uploaded.get(doc.pk)) for doc in draft.procedure_version.documents.all()]


def draft_files_put(*, draft: Draft, uploads: dict[int, IncomingFile]) -> list[DraftFile]:
    """Store the files uploaded for documents of the draft (required document id → file),
    each replacing the one uploaded for that document before. Every file is judged by its
    content first (``files.IncomingFile.refusal``: a disguised file, an empty one, one over
    the size limit); if any is refused, none is stored and the errors name each
    (``doc_<id>``)."""
    documents = {d.pk: d for d in draft.procedure_version.documents.all()}
    errors = {}
    for document_id, incoming in uploads.items():
        if document_id not in documents:
            errors[f"doc_{document_id}"] = _("Giấy tờ này không thuộc thủ tục.")
        elif (refusal := incoming.refusal) is not None:
            errors[f"doc_{document_id}"] = refusal.render(incoming.name)
    if errors:
        raise ValidationError(errors)
    saved, replaced, rows = [], [], []
    now = clock.now()
    try:
        with transaction.atomic():
            Draft.objects.select_for_update().filter(pk=draft.pk).first()  # one upload at a time
            previous = {
                f.required_document_id: f
                for f in DraftFile.objects.filter(draft=draft, required_document__in=uploads)
            }
            for document_id, incoming in uploads.items():
                name = default_storage.save(
                    f"{FOLDER}/{now:%Y/%m}/{uuid.uuid4().hex}.{incoming.extension}", incoming
                )
                saved.append(name)
                if (old := previous.get(document_id)) is not None:
                    replaced.append(old.file.name)
                    old.delete()
                rows.append(
                    DraftFile.objects.create(
                        draft=draft,
                        required_document=documents[document_id],
                        file=name,
                        original_name=incoming.name[:255],
                        content_type=incoming.content_type,
                        size=incoming.size,
                        sha256=incoming.sha256,
                        uploaded_at=now,
                    )
                )
            Draft.objects.filter(pk=draft.pk).update(updated_at=now)
            transaction.on_commit(lambda: _delete_files(replaced))
    except BaseException:
        _delete_files(saved)
        raise
    return rows


def draft_file_remove(*, draft: Draft, document_id: int) -> None:
    """Remove the file uploaded for one document of the draft."""
    with transaction.atomic():
        found = DraftFile.objects.filter(draft=draft, required_document_id=document_id).first()
        if found is None:
            return
        name = found.file.name
        found.delete()
        Draft.objects.filter(pk=draft.pk).update(updated_at=clock.now())
        transaction.on_commit(lambda: _delete_files([name]))


def delivery_errors(result_delivery: str, delivery_address: str) -> dict[str, str]:
    if result_delivery not in ResultDelivery.values:
        return {"result_delivery": _("Chọn cách nhận kết quả.")}
    if result_delivery == ResultDelivery.POST and not delivery_address.strip():
        return {"delivery_address": _("Nhận kết quả qua bưu chính cần địa chỉ nhận.")}
    return {}


def draft_delivery_save(*, draft: Draft, result_delivery: str, delivery_address: str) -> None:
    errors = delivery_errors(result_delivery, delivery_address)
    if errors:
        raise ValidationError(errors)
    draft.result_delivery = result_delivery
    post = result_delivery == ResultDelivery.POST
    draft.delivery_address = delivery_address.strip() if post else ""
    draft.updated_at = clock.now()
    draft.save(update_fields=["result_delivery", "delivery_address", "updated_at"])


def draft_delete(*, draft: Draft) -> None:
    with transaction.atomic():
        names = list(draft.files.values_list("file", flat=True))
        draft.delete()
        transaction.on_commit(lambda: _delete_files(names))


def draft_problems(draft: Draft) -> dict[str, list[str]]:
    """What still stands in the way of submitting the draft, per step (empty: ready)."""
    problems: dict[str, list[str]] = {}
    version = draft.procedure_version
    if version.status != ProcedureVersion.Status.PUBLISHED:
        problems.setdefault("review", []).append(
            _(
                "Thủ tục này vừa được công bố lại với thành phần hồ sơ mới: hãy bắt đầu hồ sơ "
                "mới theo quy định hiện hành."
            )
        )
    elif draft.agency.pk not in {a.pk for a in agencies_for_submission(version=version)}:
        problems.setdefault("review", []).append(
            _("Cơ quan đã chọn không còn nhận hồ sơ thủ tục này.")
        )
    applicant = draft_applicant(draft)
    if applicant is None:
        problems["applicant"] = [_("Chưa nhập thông tin người nộp hồ sơ.")]
    elif errors := online_applicant_errors(applicant):
        problems["applicant"] = [str(m) for m in errors.values()]
    missing = [
        _("Chưa tải lên: %(name)s") % {"name": doc.name}
        for doc, uploaded in draft_documents(draft)
        if uploaded is None and not doc.is_optional
    ]
    if missing:
        problems["documents"] = missing
    if errors := delivery_errors(draft.result_delivery, draft.delivery_address):
        problems["delivery"] = [str(m) for m in errors.values()]
    return problems


def _incoming(stored: DraftFile, label: str) -> IncomingFile:
    with default_storage.open(stored.file.name, "rb") as content:
        incoming = IncomingFile(stored.original_name, content)
    incoming.label = label
    return incoming


def draft_submit(*, user, uid) -> Dossier:
    """Submit ``user``'s draft: a dossier in DVCQG status 1 at the intake desk of the chosen
    agency, its files checked again and moved into it, the acknowledgement queued
    (``dossier_submit``). Submitting the same draft again — a double click, the page sent
    again, two tabs at once — gives the same dossier, never a second one: the draft's row is
    locked, and its uid is the submission's key. ``ValidationError`` (per step) when
    something is missing; ``Draft.DoesNotExist`` for anyone else's draft."""
    actor = _citizen(user)
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(of=("self",))
            .select_related("procedure_version", "agency", "dossier")
            .get(user=user, uid=uid)
        )
        if draft.dossier_id is not None:
            return draft.dossier
        problems = draft_problems(draft)
        if problems:
            raise ValidationError(problems)
        desk = intake_desk(agency_code=draft.agency.code)
        stored = [(doc, f) for doc, f in draft_documents(draft) if f is not None]
        files = [_incoming(f, doc.name) for doc, f in stored]
        receipt = Receipt(
            applicant=draft_applicant(draft),
            channel=2,
            documents=[(doc.pk, doc.name, 0, 1) for doc, _f in stored],
            files=files,
            result_delivery=draft.result_delivery,
            delivery_address=draft.delivery_address,
        )
        key = SubmissionKey(sender=f"citizen:{user.pk}", key=draft.uid.hex, request_hash="")
        try:
            dossier = dossier_submit(
                desk=desk,
                procedure_version=draft.procedure_version,
                receipt=receipt,
                actor=actor,
                deciding_agency=draft.agency,
                submission=key,
            )
        except AlreadyReceived as earlier:  # submitted by a process that lost the draft's row
            dossier = earlier.dossier
        finally:
            for incoming in files:
                incoming.close()
        names = [f.file.name for _doc, f in stored]
        DraftFile.objects.filter(draft=draft).delete()
        Draft.objects.filter(pk=draft.pk).update(
            dossier=dossier, submitted_at=clock.now(), applicant={}, delivery_address=""
        )
        transaction.on_commit(lambda: _delete_files(names))
    return dossier


def drafts_delete_abandoned(*, days: int = DRAFT_KEEP_DAYS, batch: int = 500) -> tuple[int, int]:
    """Delete the drafts not submitted and untouched (``updated_at``: every save and upload
    moves it) for ``days`` days, with their uploaded files; returns (drafts, files) deleted.
    A submitted draft is kept (it is how a form sent again finds its dossier) and has no
    files left: they went into the dossier, whose files live elsewhere (``dossiers/``) and are
    never touched here. Batch by batch, each row locked and judged again under its lock (a
    citizen saving at that moment keeps their draft); files go after the commit."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = clock.now() - timedelta(days=days)
    drafts = files = 0
    while True:
        with transaction.atomic():
            ids = list(
                Draft.objects.select_for_update(skip_locked=True)
                .filter(dossier__isnull=True, submitted_at__isnull=True, updated_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return drafts, files
            names = [
                name
                for name in DraftFile.objects.filter(draft_id__in=ids).values_list(
                    "file", flat=True
                )
                if name.startswith(f"{FOLDER}/")
            ]
            DraftFile.objects.filter(draft_id__in=ids).delete()
            Draft.objects.filter(pk__in=ids).delete()
            transaction.on_commit(lambda names=names: _delete_files(names))
        drafts, files = drafts + len(ids), files + len(names)


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
