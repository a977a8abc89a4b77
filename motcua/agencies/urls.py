from django.urls import path

from motcua.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency_detail"),
    path("xac-nhan-phan-cong/", views.membership_requests, name="membership_requests"),
]
