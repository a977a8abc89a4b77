from django.urls import path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path(
        "thu-tuc/<str:code>/giay-to/<int:document_id>/<slug:kind>/",
        views.procedure_form,
        name="procedure_form",
    ),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency_detail"),
    path("hien-thi/", views.display_settings, name="display_settings"),
    path("tra-cuu/", views.lookup, name="lookup"),
]
