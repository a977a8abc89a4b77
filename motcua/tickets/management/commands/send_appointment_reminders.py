from django.core.management.base import BaseCommand

from motcua.tickets.appointments import appointment_reminders_send


class Command(BaseCommand):
    help = (
        "Nhắc lịch hẹn ngày mai (qua hộp thư đi: SMS, thư điện tử). Chạy mỗi ngày bằng cron; "
        "mỗi lịch hẹn chỉ được nhắc một lần."
    )

    def handle(self, *args, **options):
        sent = appointment_reminders_send()
        self.stdout.write(f"Đã xếp {sent} tin nhắc lịch hẹn vào hộp thư đi.")
