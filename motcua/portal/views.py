from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from motcua import clock
from motcua.agencies.selectors import agency_public_get, agency_tree
from motcua.catalog.formfiles import form_download
from motcua.catalog.selectors import (
    agencies_handling,
    fields_in_use,
    levels_in_use,
    procedure_get_published,
    procedure_search,
    procedures_of_agency,
    required_document_for_download,
)
from motcua.clientaddress import client_address, rate_limit_key
from motcua.dossiers.indicators import agency_public_figures
from motcua.dossiers.public_lookup import TooManyLookups, dossier_public_lookup
from motcua.dossiers.selectors import notice_public_status
from motcua.follow.views import follow_context
from motcua.portal.context_processors import TEXT_SIZES
from motcua.portal.places import place_of
from motcua.portal.submission import channels_offered, online_submit_url

ONE_YEAR = 365 * 24 * 3600


def home(request):
    context = {"fields": fields_in_use(), "levels": levels_in_use()}
    return render(request, "portal/home.html", context)


#: Far beyond any catalog's last page, and an offset every database can count to.
MAX_PAGE = 100_000


def _page_number(raw: str | None) -> int:
    """The page asked for, between 1 and ``MAX_PAGE``; 1 when it is not a number."""
    try:
        return min(max(1, int(raw or 1)), MAX_PAGE)
    except ValueError:
        return 1


def procedure_list(request):
    query = request.GET.get("q", "").strip()[:200]
    field_code = request.GET.get("linh_vuc", "")
    level_code = request.GET.get("cap", "")
    size = settings.CATALOG_PAGE_SIZE
    number = _page_number(request.GET.get("trang"))
    criteria = {"query": query, "field_code": field_code, "level_code": level_code}
    result = procedure_search(**criteria, offset=(number - 1) * size, limit=size)
    pages = max(1, -(-result.total // size))
    if number > pages:  # a page past the end shows the last one
        number = pages
        result = procedure_search(**criteria, offset=(number - 1) * size, limit=size)
    params = request.GET.copy()
    params.pop("trang", None)
    context = {
        **criteria,
        "result": result,
        "page_number": number,
        "first_index": (number - 1) * size + 1,
        "pages": pages,
        "querystring": params.urlencode(),
        "fields": fields_in_use(),
        "levels": levels_in_use(),
    }
    return render(request, "portal/procedure_list.html", context)


def procedure_detail(request, code):
    version = procedure_get_published(code=code)
    if version is None:
        raise Http404
    submit_url = online_submit_url(version)
    context = {
        "version": version,
        "places": [place_of(agency) for agency in agencies_handling(version=version)],
        "channels": channels_offered(version, submit_url),
        "submit_url": submit_url,
    }
    return render(request, "portal/procedure_detail.html", context)


#: The two files a required document may have, by the word of their address.
FORM_KINDS = {"mau-don": "form_file", "ban-khai-mau": "sample_file"}


def procedure_form(request, code, document_id, kind):
    """A form to fill in, or a sample filled in, as a download (catalog/formfiles.py)."""
    document = required_document_for_download(code=code, document_id=document_id)
    if document is None or kind not in FORM_KINDS or not getattr(document, FORM_KINDS[kind]):
        raise Http404
    return form_download(document, FORM_KINDS[kind])


def agency_list(request):
    return render(request, "portal/agency_list.html", {"tree": agency_tree()})


def agency_detail(request, code):
    """An agency's public page: where and when, its procedures by field, and its figures
    counted now from its dossiers (SPEC §9)."""
    agency = agency_public_get(code=code)
    if agency is None:
        raise Http404
    context = {
        "place": place_of(agency),
        "groups": procedures_of_agency(agency=agency),
        "figures": agency_public_figures(agency_id=agency.pk, now=clock.now()),
    }
    return render(request, "portal/agency_detail.html", context)


def _back(request):
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


@require_POST
def display_settings(request):
    """A-/A/A+ and high contrast: a form post that sets a cookie and goes back."""
    response = _back(request)
    size = request.POST.get("text_size")
    if size in TEXT_SIZES:
        response.set_cookie("text_size", size, max_age=ONE_YEAR, samesite="Lax")
    if "contrast" in request.POST:
        value = "high" if request.POST["contrast"] == "high" else "normal"
        response.set_cookie("contrast", value, max_age=ONE_YEAR, samesite="Lax")
    return response


def lookup(request):
    """Public status of one dossier, by code and verification value or by the receipt's QR.
    A wrong code and a wrong verification value get the same answer; limited per address and
    per dossier like the API (SPEC §3, §12; ``dossiers/public_lookup.py``)."""
    code = request.GET.get("code", "").strip()[:60]
    verify = request.GET.get("verify", "").strip()[:10]
    token = request.GET.get("t", "").strip()[:200]
    context = {"code": code, "verify": verify}
    if token and (notice := notice_public_status(token=token)) is not None:
        context["notice"] = notice  # a desk's form 02 or 03: nothing was received
        return render(request, "portal/lookup.html", context)
    if code or token:
        address = rate_limit_key(client_address(request))
        dossier = dossier_public_lookup(address=address, code=code, verify=verify, token=token)
        if isinstance(dossier, TooManyLookups):
            context["error"] = dossier.message()
            response = render(request, "portal/lookup.html", context, status=429)
            response["Retry-After"] = str(dossier.retry_after)
            return response
        if dossier is None:
            context["error"] = (
                "Không tìm thấy hồ sơ với mã và số xác minh này. Kiểm tra lại mã hồ sơ trên "
                "giấy hẹn và 4 số cuối của số điện thoại hoặc số định danh."
            )
            return render(request, "portal/lookup.html", context, status=404)
        context.update(follow_context(dossier))
    return render(request, "portal/lookup.html", context)
