"""The citizen's online submission, one page per step (SPEC §4, §12.3): start (which agency),
the applicant, a file for each required document, how to receive the result, review and
submit; the citizen's drafts; an online dossier as its applicant sees it, and completing it
when the desk asks. No JavaScript needed. The rules are in ``motcua/submissions`` and
``motcua/dossiers``; these views parse, call one service, and render."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers import access, results
from motcua.dossiers.files import KINDS, IncomingFile, download_name, served_type
from motcua.dossiers.models import Attachment, Status
from motcua.dossiers.services import StaleDossier, dossier_apply
from motcua.dossiers.services.actions import completion_items, completion_request
from motcua.dossiers.transitions import Action
from motcua.portal.citizen import citizen_required
from motcua.submissions import selectors, services
from motcua.submissions.forms import ApplicantStepForm, CompleteForm, DeliveryForm, StartForm

#: Each step's page (URL name) and its title, in order.
STEP_PAGES = {
    "applicant": ("portal:draft_applicant", _("Người nộp hồ sơ")),
    "documents": ("portal:draft_documents", _("Giấy tờ")),
    "delivery": ("portal:draft_delivery", _("Nhận kết quả")),
    "review": ("portal:draft_review", _("Xem lại và nộp")),
}


def upload_hints() -> dict:
    """What the file inputs tell the browser and the citizen before anything is sent (the
    server checks every file again, by its content)."""
    extensions = sorted({f".{ext}" for kind in KINDS.values() for ext in kind.extensions})
    return {
        "accept": ",".join([*extensions, *KINDS]),
        "types": ", ".join(kind.label for kind in KINDS.values()),
        "max_mb": settings.ATTACHMENT_MAX_MB,
        "max_bytes": settings.ATTACHMENT_MAX_MB * 1024 * 1024,
    }


def _draft(request, uid):
    draft = selectors.draft_get(user=request.user, uid=uid)
    if draft is None:
        raise Http404
    return draft


def _step_context(draft, step: str) -> dict:
    problems = services.draft_problems(draft)
    steps = [
        {"key": key, "url": url, "title": title, "done": key != "review" and key not in problems}
        for key, (url, title) in STEP_PAGES.items()
    ]
    return {
        "draft": draft,
        "step": step,
        "step_title": STEP_PAGES[step][1],
        "steps": steps,
        "problems": problems,
    }


def _after_save(request, draft, step: str):
    """Where "Lưu" leads: the next step, or the drafts list when the citizen leaves."""
    if request.POST.get("go") == "leave":
        messages.success(request, _("Đã lưu hồ sơ nháp. Tiếp tục bất cứ lúc nào từ đây."))
        return redirect("portal:drafts")
    keys = list(STEP_PAGES)
    following = keys[keys.index(step) + 1]
    return redirect(STEP_PAGES[following][0], uid=draft.uid)


@citizen_required
def submit_start(request, version_id):
    """Start an online submission of procedure version ``version_id``: choose the agency
    (``portal:submit_start``, the catalog's "Nộp trực tuyến" button). A version no longer
    applied leads to the one that is, if the procedure is still submitted online."""
    version = selectors.version_for_submission(version_id=version_id)
    if version is None:
        raise Http404
    if version.pk != version_id:
        return redirect("portal:submit_start", version_id=version.pk)
    agencies = selectors.agencies_for_submission(version=version)
    form = StartForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_start(user=request.user, version=version, agency=form.chosen())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("portal:draft_applicant", uid=draft.uid)
    drafts = selectors.drafts_of(user=request.user).filter(procedure_version=version)
    return render(
        request,
        "portal/submit/start.html",
        {"version": version, "form": form, "agencies": agencies, "drafts": drafts},
    )


@citizen_required
def drafts(request):
    """The citizen's drafts (resume or delete one) and the online dossiers the desk asked
    them to complete."""
    return render(
        request,
        "portal/submit/drafts.html",
        {
            "drafts": selectors.drafts_of(user=request.user),
            "to_complete": selectors.awaiting_completion_of(user=request.user),
        },
    )


@citizen_required
def draft_applicant(request, uid):
    draft = _draft(request, uid)
    initial = ApplicantStepForm.initial_from(services.draft_applicant(draft))
    form = ApplicantStepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_applicant_save(draft=draft, applicant=form.applicant())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return _after_save(request, draft, "applicant")
    return render(
        request, "portal/submit/applicant.html", {**_step_context(draft, "applicant"), "form": form}
    )


def _errors_to_form(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field.replace("applicant.", "applicant_")
        form.add_error(target if target in form.fields else None, errors)


def _document_id(text: str) -> int | None:
    """A document's id as the form sends it; anything else (``²``, 30 digits) is no id."""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


@citizen_required
def draft_documents(request, uid):
    """A file for each required document; one may be replaced or removed. Every file is
    checked by its content on the server, whatever the browser was told."""
    draft = _draft(request, uid)
    errors = {}
    if request.method == "POST":
        removed = _document_id(request.POST.get("remove", ""))
        if removed is not None:
            services.draft_file_remove(draft=draft, document_id=removed)
            messages.success(request, _("Đã xóa tệp."))
            return redirect("portal:draft_documents", uid=draft.uid)
        uploads = {
            document_id: IncomingFile.of(upload)
            for name, upload in request.FILES.items()
            if name.startswith("doc_")
            and (document_id := _document_id(name.removeprefix("doc_"))) is not None
        }
        try:
            services.draft_files_put(draft=draft, uploads=uploads)
        except ValidationError as exc:
            errors = {name: " ".join(found) for name, found in exc.message_dict.items()}
        else:
            if request.POST.get("go") == "upload":
                messages.success(request, _("Đã tải lên."))
                return redirect("portal:draft_documents", uid=draft.uid)
            missing = services.draft_problems(draft).get("documents")
            if missing and request.POST.get("go") != "leave":
                errors = {"documents": " ".join(missing)}
            else:
                return _after_save(request, draft, "documents")
    rows = [
        {"document": doc, "file": f, "error": errors.get(f"doc_{doc.pk}", "")}
        for doc, f in services.draft_documents(draft)
    ]
    context = {
        **_step_context(draft, "documents"),
        "rows": rows,
        "errors": errors,
        "hints": upload_hints(),
    }
    return render(request, "portal/submit/documents.html", context, status=400 if errors else 200)


@citizen_required
def draft_delivery(request, uid):
    draft = _draft(request, uid)
    initial = {"result_delivery": draft.result_delivery, "delivery_address": draft.delivery_address}
    form = DeliveryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_delivery_save(
                draft=draft,
                result_delivery=form.cleaned_data["result_delivery"],
                delivery_address=form.cleaned_data["delivery_address"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return _after_save(request, draft, "delivery")
    return render(
        request, "portal/submit/delivery.html", {**_step_context(draft, "delivery"), "form": form}
    )


@citizen_required
def draft_review(request, uid):
    """Everything as it will be sent; "Nộp hồ sơ" submits it. Sent twice, it still makes one
    dossier (``draft_submit``)."""
    if request.method == "POST":
        try:
            dossier = services.draft_submit(user=request.user, uid=uid)
        except services.Draft.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Đã nộp hồ sơ. %(agency)s sẽ kiểm tra và thông báo cho ông/bà.")
                % {"agency": dossier.receiving_desk.name},
            )
            return redirect("portal:online_dossier", ref=dossier.ref)
    draft = _draft(request, uid)
    context = {
        **_step_context(draft, "review"),
        "applicant": services.draft_applicant(draft),
        "rows": services.draft_documents(draft),
    }
    return render(request, "portal/submit/review.html", context)


@citizen_required
@require_POST
def draft_delete(request, uid):
    services.draft_delete(draft=_draft(request, uid))
    messages.success(request, _("Đã xóa hồ sơ nháp."))
    return redirect("portal:drafts")


def _my_dossier(request, ref):
    dossier = selectors.citizen_dossier_get(actor=access.request_actor(request), ref=ref)
    if dossier is None:
        raise Http404
    return dossier


@citizen_required
def online_dossier(request, ref):
    """The acknowledgement once submitted, and where the dossier stands: waiting for the
    desk, what the desk asks to complete, received (its code and appointment), refused."""
    dossier = _my_dossier(request, ref)
    documents = dossier.attachments.filter(kind=Attachment.Kind.DOCUMENT)
    actor = access.request_actor(request)
    context = {
        "dossier": dossier,
        "documents": documents,
        "request": completion_request(dossier) if dossier.awaits_completion else None,
        "refused": dossier.status == Status.REFUSED,
        "result": (
            results.electronic_result(dossier)
            if access.result_downloadable(actor, dossier)
            else None
        ),
        "result_url": reverse("portal:result_file", args=[dossier.ref]),
    }
    return render(request, "portal/submit/dossier.html", context)


def _result_response(result: Attachment):
    response = FileResponse(  # always a download, named and typed by its content
        result.file.open("rb"),
        as_attachment=True,
        filename=download_name(result.original_name, result.content_type),
        content_type=served_type(result.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def result_file(request, ref):
    """The electronic result of one of the citizen's own dossiers, once returned."""
    dossier = _my_dossier(request, ref)
    if not access.result_downloadable(access.request_actor(request), dossier):
        raise Http404
    return _result_response(results.electronic_result(dossier))


def result_link(request, token):
    """The signed link of the message: a page naming the result and its SHA-256, and the
    download itself (``?tai=1``). No log-in: the link is the key, and it expires
    (``RESULT_LINK_DAYS``). A forged link, or a dossier with no electronic result returned,
    is a 404; an expired one says how to get the result now (410)."""
    try:
        dossier = results.dossier_by_result_token(token)
    except results.LinkExpired:
        login_url = resolve_url(settings.CITIZEN_LOGIN_URL)
        return render(
            request, "portal/submit/result_expired.html", {"login_url": login_url}, status=410
        )
    result = results.electronic_result(dossier) if dossier is not None else None
    if result is None:
        raise Http404
    if request.GET.get("tai") == "1":
        return _result_response(result)
    context = {"dossier": dossier, "result": result, "token": token}
    response = render(request, "portal/submit/result.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    return response


@citizen_required
def complete(request, ref):
    """The desk asked to complete the dossier: a file for exactly each item it listed, then
    the dossier goes back to the desk (``resubmit``; its status stays "submitted")."""
    dossier = _my_dossier(request, ref)
    actor = access.request_actor(request)
    if Action.RESUBMIT not in access.allowed_actions(actor, dossier):
        messages.info(request, _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
        return redirect("portal:online_dossier", ref=dossier.ref)
    items = completion_items(dossier)
    form = CompleteForm(request.POST or None, initial={"version": dossier.version})
    errors = {}
    if request.method == "POST" and form.is_valid():
        documents = []
        for i, item in enumerate(items):
            upload = request.FILES.get(f"item_{i}")
            if upload is not None:
                incoming = IncomingFile.of(upload)
                incoming.label = item
                documents.append(incoming)
        try:
            dossier_apply(
                dossier_id=dossier.pk,
                action=Action.RESUBMIT,
                actor=actor,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                documents=documents,
            )
        except StaleDossier as exc:
            messages.error(request, str(exc))
            return redirect("portal:complete", ref=dossier.ref)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("portal:online_dossier", ref=dossier.ref)
        except ValidationError as exc:
            errors = _item_errors(exc, documents, items)
        else:
            messages.success(request, _("Đã nộp bổ sung. Bộ phận một cửa sẽ kiểm tra lại hồ sơ."))
            return redirect("portal:online_dossier", ref=dossier.ref)
    rows = [{"index": i, "item": item, "error": errors.get(i, "")} for i, item in enumerate(items)]
    context = {
        "dossier": dossier,
        "form": form,
        "rows": rows,
        "errors": errors,
        "hints": upload_hints(),
    }
    return render(request, "portal/submit/complete.html", context, status=400 if errors else 200)


def _item_errors(exc: ValidationError, documents, items) -> dict:
    """The service's errors by the item of the request they are about: ``completion.<i>`` is
    item i without a file, ``documents.<n>`` the n-th file sent (labelled with its item)."""
    errors: dict = {}
    for name, found in exc.message_dict.items():
        text = " ".join(found)
        prefix, _dot, index = name.partition(".")
        if prefix == "completion" and index.isdigit():
            errors[int(index)] = text
        elif prefix == "documents" and index.isdigit() and int(index) < len(documents):
            errors[items.index(documents[int(index)].label)] = text
        else:
            errors["general"] = f"{errors.get('general', '')} {text}".strip()
    return errors
