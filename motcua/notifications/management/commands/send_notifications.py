import time

from django.core.management.base import BaseCommand

from motcua.notifications.channels import channel_get
from motcua.notifications.services import notifications_deliver


class Command(BaseCommand):
    help = "Gửi tin nhắn đang chờ trong hàng đợi (một lần, hoặc liên tục với --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Chạy liên tục")
        parser.add_argument("--interval", type=float, default=5.0, help="Giây giữa hai lượt")

    def handle(self, *args, **options):
        channel = channel_get()  # a channel the settings name wrongly stops here, with why
        while True:
            sent, failed = notifications_deliver(channel=channel)
            if sent or failed or not options["loop"]:
                self.stdout.write(f"Đã gửi {sent}, lỗi {failed} (sẽ thử lại).")
            if not options["loop"]:
                return
            if not sent:
                time.sleep(options["interval"])
