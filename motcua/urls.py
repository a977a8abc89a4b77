from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from motcua.agencies.admin_site import restrict_admin_to_administrators
from motcua.api.api import api
from motcua.citizens.forms import StaffLoginForm

restrict_admin_to_administrators(admin.site)
admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME


def healthz(request):
    """For load balancers and monitoring: the process answers (no database touched)."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico where a page names no icon (the API's documentation)."""
    return HttpResponsePermanentRedirect(static("motcua/favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon),
    # Staff only: a citizen's account is refused here and logs in under /cong-dan/. The page
    # names the system, not the host it runs on (LoginView's "site_name").
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            authentication_form=StaffLoginForm, extra_context={"site_name": settings.SITE_NAME}
        ),
        name="login",
    ),
    path("cong-dan/", include("motcua.citizens.urls")),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("can-bo/ho-so/", include("motcua.dossiers.urls")),
    path("can-bo/tai-khoan/", include("motcua.api.urls")),
    path("can-bo/nhiem-vu/", include("motcua.tasks.urls")),
    path("can-bo/quay/", include("motcua.tickets.staff_urls")),
    path("can-bo/chi-so/", include("motcua.reports.urls")),
    path("can-bo/thanh-toan/", include("motcua.payments.staff_urls")),
    path("can-bo/", include("motcua.agencies.urls")),
    path("tu-choi/", include("motcua.notifications.urls")),
    path("can-bo/phan-anh/", include("motcua.feedback.staff_urls")),
    path("", include("motcua.tickets.urls")),
    path("", include("motcua.follow.urls")),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.payments.urls")),
    path("", include("motcua.portal.urls")),
]
