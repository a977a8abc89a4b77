from django.urls import path

from motcua.portal import submit, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("hien-thi/", views.display_settings, name="display_settings"),
    path("tra-cuu/", views.lookup, name="lookup"),
    # Online submission (submit.py): start from a procedure, then one page per step.
    path("thu-tuc/<str:code>/nop-truc-tuyen/", submit.submit, name="submit"),
    path("nop-truc-tuyen/", submit.drafts, name="drafts"),
    path("nop-truc-tuyen/<uuid:uid>/nguoi-nop/", submit.draft_applicant, name="draft_applicant"),
    path("nop-truc-tuyen/<uuid:uid>/giay-to/", submit.draft_documents, name="draft_documents"),
    path("nop-truc-tuyen/<uuid:uid>/nhan-ket-qua/", submit.draft_delivery, name="draft_delivery"),
    path("nop-truc-tuyen/<uuid:uid>/xem-lai/", submit.draft_review, name="draft_review"),
    path("nop-truc-tuyen/<uuid:uid>/xoa/", submit.draft_delete, name="draft_delete"),
    path("nop-truc-tuyen/ho-so/<str:ref>/", submit.online_dossier, name="online_dossier"),
    path("nop-truc-tuyen/ho-so/<str:ref>/bo-sung/", submit.complete, name="complete"),
]
