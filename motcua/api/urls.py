from django.urls import path

from motcua.api import views

app_name = "tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/thu-hoi/", views.token_revoke, name="revoke"),
]
