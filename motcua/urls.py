from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
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


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Staff only: a citizen's account is refused here and logs in under /cong-dan/.
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=StaffLoginForm),
        name="login",
    ),
    path("cong-dan/", include("motcua.citizens.urls")),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("can-bo/ho-so/", include("motcua.dossiers.urls")),
    path("can-bo/tai-khoan/", include("motcua.api.urls")),
    path("can-bo/", include("motcua.agencies.urls")),
    path("", include("motcua.portal.urls")),
]
