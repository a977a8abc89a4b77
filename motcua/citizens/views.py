"""The citizens' pages under /cong-dan/: sign up, log in (a code, a password, VNeID), the
profile and "my dossiers". Thin: each calls one service or selector (``services.py``,
``selectors.py``); limits in ``limits.py``."""

from __future__ import annotations

import functools
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.citizens import forms, limits, oidc, selectors, services
from motcua.citizens.identifiers import Identifier
from motcua.clientaddress import client_address, rate_limit_key
from motcua.dossiers.access import request_actor
from motcua.dossiers.selectors import dossier_public_status, lookup_token

BACKEND = "motcua.citizens.backends.CitizenBackend"
PENDING = "citizen_code"  # the session's key for the code waiting to be typed in
Purpose = services.Purpose
PAGE_SIZE = 50


def _address(request) -> str:
    return rate_limit_key(client_address(request))


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _too_many(request, template: str, context: dict, refused: limits.TooMany):
    context["error"] = refused.message()
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response


def _sign_in(request, user) -> None:
    login(request, user, backend=BACKEND)


def citizen_required(view):
    """Citizens' own pages: anonymous visitors go to the citizens' log-in; a staff account,
    or any account not made on the citizens' side, gets a 403 page saying so."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.CITIZEN_LOGIN_URL)
        if not selectors.is_citizen_account(request.user):
            return render(request, "citizens/not_citizen.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


# --- codes -------------------------------------------------------------------------------------


def _code_send(request, identifier: Identifier, purpose: str, *, user=None, **pending):
    """Send a code within the limits; keep its uid in the session. A ``TooMany`` when the
    limits refuse (nothing sent)."""
    refused = limits.code_request_allowed(address=_address(request), identifier=identifier)
    if refused is not None:
        return refused
    row = services.code_send(identifier=identifier, purpose=purpose, user=user)
    request.session[PENDING] = {
        "uid": row.uid.hex,
        "purpose": purpose,
        "medium": identifier.medium,
        "identifier": identifier.value,
        **pending,
    }
    return None


def _pending(request, purpose: str) -> dict | None:
    pending = request.session.get(PENDING)
    if not pending or pending.get("purpose") != purpose:
        return None
    return pending


def _pending_identifier(pending: dict) -> Identifier:
    return Identifier(pending["medium"], pending["identifier"])


@require_http_methods(["GET", "POST"])
def sign_up(request):
    form = forms.SignUpForm(request.POST or None)
    context = {"form": form, "next": _next_url(request, "")}
    if request.method == "POST" and form.is_valid():
        refused = _code_send(
            request,
            form.cleaned_data["identifier"],
            Purpose.SIGN_IN,
            full_name=form.cleaned_data["full_name"].strip(),
            next=context["next"],
        )
        if refused:
            return _too_many(request, "citizens/sign_up.html", context, refused)
        return redirect("citizens:code")
    return render(request, "citizens/sign_up.html", context)


@require_http_methods(["GET", "POST"])
def log_in(request):
    """Log in by a code sent to a phone or e-mail, or by a password; or through VNeID."""
    method = request.POST.get("method", "")
    code_form = forms.CodeRequestForm(request.POST if method == "code" else None, prefix="code")
    password_form = forms.PasswordLoginForm(
        request, request.POST if method == "password" else None, prefix="pw"
    )
    context = {
        "code_form": code_form,
        "password_form": password_form,
        "next": _next_url(request, ""),
        "oidc_label": settings.OIDC_LABEL if oidc.oidc_enabled() else "",
    }
    if method == "code" and code_form.is_valid():
        refused = _code_send(
            request, code_form.cleaned_data["identifier"], Purpose.SIGN_IN, next=context["next"]
        )
        if refused:
            return _too_many(request, "citizens/log_in.html", context, refused)
        return redirect("citizens:code")
    if method == "password":
        refused = limits.sign_in_attempt_allowed(address=_address(request))
        if refused:
            return _too_many(request, "citizens/log_in.html", context, refused)
        if password_form.is_valid():
            _sign_in(request, password_form.user)
            return HttpResponseRedirect(_next_url(request, reverse("citizens:dossiers")))
    return render(request, "citizens/log_in.html", context)


@require_http_methods(["GET", "POST"])
def code_enter(request):
    """Type in the code sent for signing in (or up), or for a new phone or e-mail."""
    pending = request.session.get(PENDING)
    if not pending or pending.get("purpose") not in (Purpose.SIGN_IN, Purpose.CONTACT):
        messages.info(request, _("Hãy nhập số điện thoại hoặc thư điện tử để nhận mã."))
        return redirect("citizens:login")
    if pending["purpose"] == Purpose.CONTACT and not selectors.is_citizen_account(request.user):
        return redirect("citizens:login")
    identifier = _pending_identifier(pending)
    form = forms.CodeForm(request.POST or None)
    context = {"form": form, "sent_to": identifier.masked(), "pending": pending}
    if request.method == "POST" and "resend" in request.POST:
        user = request.user if pending["purpose"] == Purpose.CONTACT else None
        extra = {k: v for k, v in pending.items() if k in ("full_name", "next")}
        refused = _code_send(request, identifier, pending["purpose"], user=user, **extra)
        if refused:
            return _too_many(request, "citizens/code.html", context, refused)
        messages.success(request, _("Đã gửi mã mới tới %(to)s.") % {"to": identifier.masked()})
        return redirect("citizens:code")
    if request.method == "POST" and form.is_valid():
        refused = limits.sign_in_attempt_allowed(address=_address(request))
        if refused:
            return _too_many(request, "citizens/code.html", context, refused)
        uid, code = uuid.UUID(pending["uid"]), form.cleaned_data["code"]
        try:
            if pending["purpose"] == Purpose.CONTACT:
                services.citizen_contact_set(user=request.user, uid=uid, code=code)
            else:
                done = services.citizen_sign_in_by_code(
                    uid=uid, code=code, full_name=pending.get("full_name", "")
                )
        except ValidationError as refusal:
            form.add_error("code", refusal.messages)
            return render(request, "citizens/code.html", context, status=400)
        except services.CodeRefused as refusal:
            form.add_error("code", str(refusal))
            return render(request, "citizens/code.html", context, status=400)
        request.session.pop(PENDING, None)
        if pending["purpose"] == Purpose.CONTACT:
            messages.success(request, _("Đã đổi thông tin liên lạc dùng để đăng nhập."))
            return redirect("citizens:profile")
        _sign_in(request, done.user)
        if done.created:
            messages.success(
                request,
                _("Đã tạo tài khoản. Hãy bổ sung số định danh và địa chỉ để khai hồ sơ nhanh hơn."),
            )
            return redirect("citizens:profile")
        return HttpResponseRedirect(pending.get("next") or reverse("citizens:dossiers"))
    return render(request, "citizens/code.html", context)


@require_http_methods(["GET", "POST"])
def password_forgot(request):
    form = forms.CodeRequestForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        refused = _code_send(request, form.cleaned_data["identifier"], Purpose.RESET)
        if refused:
            return _too_many(request, "citizens/password_forgot.html", context, refused)
        return redirect("citizens:password_reset")
    return render(request, "citizens/password_forgot.html", context)


@require_http_methods(["GET", "POST"])
def password_reset(request):
    pending = _pending(request, Purpose.RESET)
    if pending is None:
        return redirect("citizens:password_forgot")
    form = forms.ResetForm(request.POST or None)
    context = {"form": form, "sent_to": _pending_identifier(pending).masked()}
    if request.method == "POST" and form.is_valid():
        refused = limits.sign_in_attempt_allowed(address=_address(request))
        if refused:
            return _too_many(request, "citizens/password_reset.html", context, refused)
        try:
            user = services.citizen_password_reset(
                uid=uuid.UUID(pending["uid"]),
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "citizens/password_reset.html", context, status=400)
        except services.CodeRefused as refusal:
            form.add_error("code", str(refusal))
            return render(request, "citizens/password_reset.html", context, status=400)
        request.session.pop(PENDING, None)
        _sign_in(request, user)
        messages.success(request, _("Đã đặt mật khẩu mới."))
        return redirect("citizens:dossiers")
    return render(request, "citizens/password_reset.html", context)


# --- the profile -------------------------------------------------------------------------------


def _profile_context(request, **forms_):
    profile = selectors.profile_of(request.user)
    return {
        "profile": profile,
        "form": forms_.get("form")
        or forms.ProfileForm(
            initial={
                "full_name": profile.full_name,
                "id_number": profile.id_number,
                "address": profile.address,
            },
            verified=profile.vneid_verified,
        ),
        "password_form": forms_.get("password_form")
        or forms.PasswordForm(has_password=request.user.has_usable_password()),
        "contact_form": forms_.get("contact_form") or forms.CodeRequestForm(prefix="contact"),
        "has_password": request.user.has_usable_password(),
        "oidc_label": settings.OIDC_LABEL if oidc.oidc_enabled() else "",
        "oidc_linked": request.user.oidc_identities.exists(),
    }


@citizen_required
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "POST":
        verified = selectors.profile_of(request.user).vneid_verified
        form = forms.ProfileForm(request.POST, verified=verified)
        if form.is_valid():
            try:
                services.citizen_profile_update(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu thông tin cá nhân."))
                return redirect("citizens:profile")
        return render(request, "citizens/profile.html", _profile_context(request, form=form),
                      status=400)  # fmt: skip
    return render(request, "citizens/profile.html", _profile_context(request))


@citizen_required
@require_POST
def password_change(request):
    form = forms.PasswordForm(request.POST, has_password=request.user.has_usable_password())
    if form.is_valid():
        try:
            services.citizen_password_set(
                user=request.user,
                password=form.cleaned_data["password"],
                current_password=form.cleaned_data.get("current_password", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Changing the password logs out other sessions; keep this one.
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("Đã lưu mật khẩu."))
            return redirect("citizens:profile")
    context = _profile_context(request, password_form=form)
    return render(request, "citizens/profile.html", context, status=400)


@citizen_required
@require_POST
def contact_change(request):
    form = forms.CodeRequestForm(request.POST, prefix="contact")
    if form.is_valid():
        identifier = form.cleaned_data["identifier"]
        refused = _code_send(request, identifier, Purpose.CONTACT, user=request.user)
        if refused:
            context = _profile_context(request, contact_form=form)
            return _too_many(request, "citizens/profile.html", context, refused)
        return redirect("citizens:code")
    context = _profile_context(request, contact_form=form)
    return render(request, "citizens/profile.html", context, status=400)


# --- my dossiers -------------------------------------------------------------------------------


def _page(request) -> int:
    try:
        return max(1, min(int(request.GET.get("trang", 1)), 100_000))
    except ValueError:
        return 1


@citizen_required
def dossier_list(request):
    actor = request_actor(request)
    number = _page(request)
    total = selectors.citizen_dossier_count(actor=actor)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(number, pages)
    dossiers = selectors.citizen_dossiers(
        actor=actor, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    context = {"dossiers": dossiers, "total": total, "page_number": number, "pages": pages}
    return render(request, "citizens/dossier_list.html", context)


@citizen_required
def dossier_detail(request, ref):
    dossier = selectors.citizen_dossier_get(actor=request_actor(request), ref=ref)
    if dossier is None:
        raise Http404
    token = lookup_token(dossier)
    status = dossier_public_status(token=token)
    # The look-up page (its fee to pay, its rating) by the receipt's own signed link.
    follow_url = reverse("portal:lookup") + "?" + urlencode({"t": token})
    context = {"dossier": dossier, "status": status, "follow_url": follow_url}
    return render(request, "citizens/dossier_detail.html", context)


def home(request):
    return redirect("citizens:dossiers")


# --- VNeID (OpenID Connect) -------------------------------------------------------------------


def _oidc_failed(request, status: int = 400):
    return render(
        request, "citizens/oidc_failed.html", {"oidc_label": settings.OIDC_LABEL}, status=status
    )


def oidc_start(request):
    client = oidc.oidc_client()
    if client is None:
        raise Http404
    if request.user.is_authenticated and not selectors.is_citizen_account(request.user):
        return render(request, "citizens/not_citizen.html", status=403)
    request.session["citizen_oidc_next"] = _next_url(request, "")
    redirect_uri = settings.OIDC_REDIRECT_URI or request.build_absolute_uri(
        reverse("citizens:oidc_callback")
    )
    try:
        return client.authorize_redirect(request, redirect_uri)
    except oidc.oidc_errors():
        return _oidc_failed(request, status=503)


def oidc_callback(request):
    if not oidc.oidc_enabled():
        raise Http404
    refused = limits.sign_in_attempt_allowed(address=_address(request))
    if refused:
        return _too_many(request, "citizens/oidc_failed.html", {}, refused)
    current = None
    if request.user.is_authenticated:
        if not selectors.is_citizen_account(request.user):
            return render(request, "citizens/not_citizen.html", status=403)
        current = request.user
    try:
        issuer, claims = oidc.oidc_finish(request)
        done = services.oidc_sign_in(issuer=issuer, claims=claims, current_user=current)
    except services.OidcRefused as refusal:
        context = {"oidc_label": settings.OIDC_LABEL, "error": str(refusal)}
        return render(request, "citizens/oidc_failed.html", context, status=403)
    except oidc.oidc_errors():
        return _oidc_failed(request)
    next_url = request.session.pop("citizen_oidc_next", "")
    label = {"p": settings.OIDC_LABEL}
    if current is not None:
        messages.success(request, _("Đã liên kết tài khoản %(p)s.") % label)
        return redirect("citizens:profile")
    _sign_in(request, done.user)
    if done.created:
        messages.success(request, _("Đã tạo tài khoản từ thông tin %(p)s.") % label)
        return redirect("citizens:profile")
    return HttpResponseRedirect(next_url or reverse("citizens:dossiers"))
