from django.urls import path

from motcua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bao-cao/", views.report, name="report"),
    path("ho-so/<str:figure>/", views.drill, name="drill"),
]
