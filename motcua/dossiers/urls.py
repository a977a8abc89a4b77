from django.urls import path

from motcua.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("so-theo-doi/", views.register, name="register"),
    path("phieu/<int:pk>/", views.notice_paper, name="notice_paper"),
    path("<str:ref>/", views.detail, name="detail"),
    path("<str:ref>/thao-tac/", views.act, name="act"),
    path("<str:ref>/tep/<int:pk>/", views.attachment, name="attachment"),
    path("<str:ref>/mau/<str:form>/", views.paper, name="paper"),
]
