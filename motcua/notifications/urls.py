from django.urls import path

from motcua.notifications import views

app_name = "notifications"
urlpatterns = [path("<str:token>/", views.opt_out, name="opt_out")]
