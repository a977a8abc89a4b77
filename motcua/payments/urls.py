"""The payer's pages and the demo gateway's (mounted at the site's root)."""

from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("thanh-toan/ho-so/<str:ref>/", views.pay, name="pay"),
    path("thanh-toan/ket-qua/<str:token>/", views.result, name="result"),
    path("thanh-toan/bien-lai/<str:token>/", views.receipt, name="receipt"),
    path("thanh-toan-thu/", views.demo_gateway, name="demo_gateway"),
    path("thanh-toan-thu/ket-thuc/", views.demo_finish, name="demo_finish"),
]
