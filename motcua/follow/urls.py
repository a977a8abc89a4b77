from django.urls import path

from motcua.follow import views

app_name = "follow"
urlpatterns = [
    path("danh-gia/<str:token>/", views.rate, name="rate"),
    path("tra-cuu/danh-gia/", views.lookup_rate, name="lookup_rate"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/danh-gia/", views.kiosk_rate, name="kiosk_rate"),
]
