from django.urls import path

from motcua.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.index, name="index"),
    path("giao/", views.assign, name="assign"),
    path("theo-doi/<str:code>/<str:username>/", views.board, name="board"),
    path("<str:ref>/", views.detail, name="detail"),
    path("<str:ref>/bao-cao/", views.report, name="report"),
    path("<str:ref>/hoan-thanh/", views.complete, name="complete"),
    path("<str:ref>/gia-han/", views.extension_request, name="extension_request"),
    path("<str:ref>/gia-han/<int:pk>/", views.extension_decide, name="extension_decide"),
    path("<str:ref>/tep/<int:pk>/", views.attachment, name="attachment"),
]
