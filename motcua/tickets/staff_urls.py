from django.urls import path

from motcua.tickets import views

app_name = "counters"
urlpatterns = [
    path("", views.counters, name="list"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("<int:counter_id>/", views.counter_page, name="counter"),
    path("<int:counter_id>/<slug:action>/", views.counter_act, name="act"),
]
