from django.urls import path

from motcua.portal import submit, views

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
    # Online submission (submit.py): start from a procedure version (the catalog's "Nộp trực
    # tuyến" button), then one page per step; the citizen's online dossier and its result.
    path("nop-truc-tuyen/thu-tuc/<int:version_id>/", submit.submit_start, name="submit_start"),
    path("nop-truc-tuyen/", submit.drafts, name="drafts"),
    path("nop-truc-tuyen/<uuid:uid>/nguoi-nop/", submit.draft_applicant, name="draft_applicant"),
    path("nop-truc-tuyen/<uuid:uid>/giay-to/", submit.draft_documents, name="draft_documents"),
    path("nop-truc-tuyen/<uuid:uid>/nhan-ket-qua/", submit.draft_delivery, name="draft_delivery"),
    path("nop-truc-tuyen/<uuid:uid>/xem-lai/", submit.draft_review, name="draft_review"),
    path("nop-truc-tuyen/<uuid:uid>/xoa/", submit.draft_delete, name="draft_delete"),
    path("nop-truc-tuyen/ho-so/<str:ref>/", submit.online_dossier, name="online_dossier"),
    path("nop-truc-tuyen/ho-so/<str:ref>/bo-sung/", submit.complete, name="complete"),
    path("nop-truc-tuyen/ho-so/<str:ref>/ket-qua/", submit.result_file, name="result_file"),
    path("ket-qua/<str:token>/", submit.result_link, name="result_link"),
]
