"""The site's addresses plus a stand-in for the online submission page (``portal:submit_start``,
built by another part of issue 10), for the tests of the button that leads to it."""

from django.http import HttpResponse
from django.urls import include, path

from motcua import urls
from motcua.portal import urls as portal_urls


def submit_start(request, version_id):
    return HttpResponse(f"start {version_id}")


portal = [
    path("nop-truc-tuyen/<int:version_id>/", submit_start, name="submit_start"),
    *portal_urls.urlpatterns,
]
urlpatterns = [
    *(p for p in urls.urlpatterns if getattr(p, "namespace", None) != "portal"),
    path("", include((portal, "portal"))),
]
