"""Public pages for following a dossier: the rating (from the message's link, the look-up
page, the kiosk) and the kiosk's large-print look-up for the desk's touch screen. Each page
asks ``dossiers.public_lookup`` (with its limits) or a signed link (``links``) for the
dossier; nothing here shows personal data."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.agencies.models import Agency
from motcua.clientaddress import client_address, rate_limit_key
from motcua.dossiers.models import Dossier
from motcua.dossiers.public_lookup import TooManyLookups, dossier_public_lookup
from motcua.follow import kiosk as keypad
from motcua.follow import links
from motcua.follow.selectors import dossier_follow
from motcua.ratings.forms import RatingForm
from motcua.ratings.models import Rating
from motcua.ratings.services import AlreadyRated, rating_submit

NOT_FOUND = gettext_lazy(
    "Không tìm thấy hồ sơ với mã và số xác minh này. Kiểm tra lại mã hồ sơ trên giấy hẹn và "
    "4 số cuối của số điện thoại hoặc số định danh."
)


def follow_context(status: dict) -> dict:
    """What the look-up page and the kiosk show of a dossier found: ``dossier`` (its
    ``dossier_follow``) and, while it may be rated, the rating form."""
    dossier = dossier_follow(status)
    form = RatingForm(initial={"token": dossier["form_token"]}) if dossier["may_rate"] else None
    feedback = reverse("feedback:submit")
    if dossier["code"]:  # a dossier without one is named by the person in their words
        feedback += "?" + urlencode({"ho-so": dossier["code"]})
    return {"dossier": dossier, "rating_form": form, "feedback_url": feedback}


# --- rating -----------------------------------------------------------------------------


def _rate(request, *, dossier_id: int, channel: str, template: str, context: dict):
    """Record the rating the form sent (``rating_submit``), or show the form again with
    what is wrong; a second rating is told it was already given."""
    form = RatingForm(request.POST)
    context = {**context, "rating_form": form}
    if not form.is_valid():
        return render(request, template, context, status=422)
    try:
        rating_submit(
            dossier_id=dossier_id,
            overall=form.cleaned_data["overall"],
            criteria=form.criteria(),
            channel=channel,
        )
    except AlreadyRated:
        return render(
            request, template, {**context, "rated": True, "rating_form": None}, status=409
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return render(request, template, context, status=422)
    return render(request, template, {**context, "thanks": True, "rating_form": None})


def rate(request, token):
    """The rating link of the "result returned" message (signed, expiring)."""
    dossier_id = links.rating_dossier_id(token)
    dossier = (
        Dossier.objects.filter(pk=dossier_id).select_related("procedure_version").first()
        if dossier_id
        else None
    )
    if dossier is None:
        return render(request, "follow/rate.html", {"expired": True}, status=404)
    context = {"token": token, "code": dossier.code, "procedure": dossier.procedure_version.name}
    if request.method == "POST":
        return _rate(
            request,
            dossier_id=dossier.pk,
            channel=Rating.Channel.MESSAGE,
            template="follow/rate.html",
            context=context,
        )
    returned = dossier.status == "returned"
    rated = returned and Rating.objects.filter(dossier_id=dossier.pk).exists()
    form = RatingForm(initial={"token": token}) if returned and not rated else None
    context.update(rating_form=form, rated=rated, not_returned=not returned)
    return render(request, "follow/rate.html", context)


def _form_dossier(request) -> Dossier | None:
    uid = links.form_dossier_uid(request.POST.get("token", ""))
    if uid is None:
        return None
    return Dossier.objects.filter(uid=uid).select_related("procedure_version").first()


@require_POST
def lookup_rate(request):
    """The rating form of the look-up page, shown after verification (its token)."""
    dossier = _form_dossier(request)
    if dossier is None:
        return render(request, "follow/rate.html", {"expired": True}, status=404)
    context = {"code": dossier.code, "procedure": dossier.procedure_version.name}
    return _rate(
        request,
        dossier_id=dossier.pk,
        channel=Rating.Channel.LOOKUP,
        template="follow/rate.html",
        context=context,
    )


# --- the kiosk at the desk ---------------------------------------------------------------


def _kiosk_prefix(request) -> tuple[str, str]:
    """The agency code the kiosk starts codes with (``?co-quan=``, the desk's agency: its
    dossiers' codes then need digits only), and the kiosk's start address."""
    code = (request.GET.get("co-quan") or request.POST.get("co-quan") or "").strip()[:40]
    if code and not Agency.objects.filter(code=code).exists():
        code = ""
    start = "/kiosk/" + (f"?co-quan={code}" if code else "")
    return code, start


def _kiosk_render(request, context: dict, status: int = 200):
    response = render(request, "follow/kiosk.html", context, status=status)
    add_never_cache_headers(response)  # the next person must not go back to this one's page
    return response


def kiosk(request):
    """Large print for the desk's touch screen: the code (typed on the keypad or read by
    the scanner from the receipt's QR code), then the 4 digits, then the dossier; the page
    goes back to the start after a minute without a touch (``kiosk.js``)."""
    agency, start = _kiosk_prefix(request)
    context = {"agency": agency, "start": start, "stage": "code"}
    if request.method != "POST":
        context["code"] = f"{agency}-" if agency else ""
        return _kiosk_render(request, context)
    code = request.POST.get("code", "")[: keypad.CODE_MAX + 200]
    verify = request.POST.get("verify", "")[: keypad.VERIFY_LENGTH]
    key, go = request.POST.get("key", ""), request.POST.get("go", "")
    stage = "verify" if request.POST.get("stage") == "verify" else "code"
    token = keypad.scanned_token(code) if stage == "code" else ""
    if key:
        if stage == "code":
            code = keypad_code(code, key)
        else:
            verify = keypad.keypad_apply(
                verify, key, allowed=keypad.DIGITS, limit=keypad.VERIFY_LENGTH
            )
        return _kiosk_render(request, {**context, "stage": stage, "code": code, "verify": verify})
    if stage == "code" and not token:
        code = code.strip()[: keypad.CODE_MAX]
        if not code or code == f"{agency}-":
            context.update(code=code, error=_("Nhập mã hồ sơ in trên giấy hẹn."))
            return _kiosk_render(request, context, status=422)
        return _kiosk_render(request, {**context, "stage": "verify", "code": code, "verify": ""})
    if stage == "verify" and go != "lookup":
        return _kiosk_render(request, {**context, "stage": "verify", "code": code})
    found = dossier_public_lookup(
        address=rate_limit_key(client_address(request)),
        code="" if token else code.strip(),
        verify=verify,
        token=token,
    )
    if isinstance(found, TooManyLookups):
        context.update(code=f"{agency}-" if agency else "", error=found.message())
        response = _kiosk_render(request, context, status=429)
        response["Retry-After"] = str(found.retry_after)
        return response
    if found is None:
        context.update(code=f"{agency}-" if agency else "", error=NOT_FOUND)
        return _kiosk_render(request, context, status=404)
    # The kiosk stays the kiosk: no link away to the site's feedback form.
    shown = {**follow_context(found), "feedback_url": ""}
    return _kiosk_render(request, {**context, "stage": "status", **shown})


def keypad_code(code: str, key: str) -> str:
    return keypad.keypad_apply(
        code, key, allowed=keypad.DIGITS + keypad.CODE_KEYS, limit=keypad.CODE_MAX
    )


@require_POST
def kiosk_rate(request):
    agency, start = _kiosk_prefix(request)
    dossier = _form_dossier(request)
    context = {"agency": agency, "start": start, "stage": "rated"}
    if dossier is None:
        context.update(stage="code", code=f"{agency}-" if agency else "")
        context["error"] = _("Phiên tra cứu đã hết hạn. Mời tra cứu lại.")
        return _kiosk_render(request, context, status=404)
    context.update(code=dossier.code, procedure=dossier.procedure_version.name)
    response = _rate(
        request,
        dossier_id=dossier.pk,
        channel=Rating.Channel.KIOSK,
        template="follow/kiosk.html",
        context=context,
    )
    add_never_cache_headers(response)
    return response
