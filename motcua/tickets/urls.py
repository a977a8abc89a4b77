from django.urls import path

from motcua.tickets import booking_views, views

app_name = "tickets"
urlpatterns = [
    path("lay-so/", views.kiosk_index, name="kiosk_index"),
    path("lay-so/<int:desk_id>/", views.kiosk, name="kiosk"),
    path("so-thu-tu/<uuid:token>/", views.ticket_place, name="place"),
    path("so-thu-tu/<uuid:token>/in/", views.ticket_print, name="print"),
    path("man-hinh/<int:desk_id>/", views.board, name="board"),
    path("dat-lich/", booking_views.booking_index, name="booking_index"),
    path("dat-lich/huy/", booking_views.booking_cancel, name="booking_cancel"),
    path("dat-lich/xac-nhan/<str:token>/", booking_views.booking_done, name="booking_done"),
    path("dat-lich/<int:desk_id>/", booking_views.booking, name="booking"),
]
