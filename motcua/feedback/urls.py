from django.urls import path

from motcua.feedback import views

app_name = "feedback"
urlpatterns = [
    path("phan-anh/", views.submit, name="submit"),
    path("phan-anh/xem/<str:token>/", views.status, name="status"),
]
