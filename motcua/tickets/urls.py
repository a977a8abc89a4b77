from django.urls import path

app_name = "tickets"
urlpatterns = [
    path("so-thu-tu/<uuid:token>/", lambda r, token: None, name="place"),
]
