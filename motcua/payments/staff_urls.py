"""The desk's forms on the dossier page (mounted at ``/can-bo/thanh-toan/``)."""

from django.urls import path

from motcua.payments import views

app_name = "payments_staff"
urlpatterns = [
    path("<str:ref>/nop-tai-quay/", views.record_at_desk, name="record_at_desk"),
    path("<str:ref>/<str:reference>/hoan-tra/", views.refund, name="refund"),
    path("<str:ref>/<str:reference>/huy/", views.cancel, name="cancel"),
]
