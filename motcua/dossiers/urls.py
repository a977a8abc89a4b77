from django.urls import path

from motcua.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("so-theo-doi/", views.register, name="register"),
    path("phieu/<int:pk>/", views.notice_paper, name="notice_paper"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/thao-tac/", views.act, name="act"),
    path("<str:code>/tep/<int:pk>/", views.attachment, name="attachment"),
    path("<str:code>/mau/<str:form>/", views.paper, name="paper"),
]
