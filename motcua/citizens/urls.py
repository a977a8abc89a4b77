from django.urls import path

from motcua.citizens import views

app_name = "citizens"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-ky/", views.sign_up, name="sign_up"),
    path("dang-nhap/", views.log_in, name="login"),
    path("nhap-ma/", views.code_enter, name="code"),
    path("quen-mat-khau/", views.password_forgot, name="password_forgot"),
    path("dat-lai-mat-khau/", views.password_reset, name="password_reset"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/mat-khau/", views.password_change, name="password_change"),
    path("tai-khoan/lien-lac/", views.contact_change, name="contact_change"),
    path("ho-so/", views.dossier_list, name="dossiers"),
    path("ho-so/<str:ref>/", views.dossier_detail, name="dossier"),
    path("vneid/", views.oidc_start, name="oidc_start"),
    path("vneid/ve/", views.oidc_callback, name="oidc_callback"),
]
