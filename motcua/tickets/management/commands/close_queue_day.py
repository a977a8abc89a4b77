from django.core.management.base import BaseCommand

from motcua.tickets.selectors import today
from motcua.tickets.services import queue_day_close


class Command(BaseCommand):
    help = (
        "Đóng hàng đợi của các ngày trước: số chưa được gọi hết hạn, lượt chưa kết thúc được "
        "đóng. Việc này cũng tự diễn ra khi có số đầu tiên của ngày mới; lệnh dành cho cron."
    )

    def handle(self, *args, **options):
        closed = queue_day_close(before=today())
        self.stdout.write(f"Đã đóng {closed} số thứ tự của các ngày trước.")
