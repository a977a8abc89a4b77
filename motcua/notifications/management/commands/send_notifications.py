import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections

from motcua.notifications.channels import channel_get
from motcua.notifications.services import notifications_deliver

log = logging.getLogger("motcua.notifications")

#: Longest wait between two tries while the database keeps failing (seconds).
BACKOFF_MAX = 60.0


class Command(BaseCommand):
    help = "Gửi tin nhắn đang chờ trong hàng đợi (một lần, hoặc liên tục với --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Chạy liên tục")
        parser.add_argument("--interval", type=float, default=5.0, help="Giây giữa hai lượt")

    def handle(self, *args, **options):
        channel = channel_get()  # a channel the settings name wrongly stops here, with why
        interval = options["interval"]
        backoff = interval
        while True:
            try:
                sent, failed = notifications_deliver(channel=channel)
            except DatabaseError as error:
                # The database went away (a restart, a failover) or SQLite was locked by a
                # long write: what was claimed stays leased and is retried after the lease;
                # the loop drops its connection and tries again, waiting longer each time.
                if not options["loop"]:
                    raise
                log.warning(
                    "Lỗi cơ sở dữ liệu khi gửi tin nhắn, thử lại sau %ss: %s", backoff, error
                )
                self.stderr.write(f"Lỗi cơ sở dữ liệu, thử lại sau {backoff:g} giây: {error}")
                connections.close_all()
                time.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX)
                continue
            backoff = interval
            close_old_connections()
            if sent or failed or not options["loop"]:
                self.stdout.write(f"Đã gửi {sent}, lỗi {failed} (sẽ thử lại).")
            if not options["loop"]:
                return
            if not sent:
                time.sleep(interval)
