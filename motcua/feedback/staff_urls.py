from django.urls import path

from motcua.feedback import views

app_name = "feedback_staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<str:code>/", views.staff_detail, name="detail"),
    path("<str:code>/<str:action>/", views.staff_act, name="act"),
]
