from django.core.management.base import BaseCommand

from motcua.tasks.services import task_reminders_send


class Command(BaseCommand):
    help = (
        "Nhắc việc hằng ngày: nhiệm vụ đến hạn trong một ngày làm việc và nhiệm vụ quá hạn, "
        "qua hàng đợi tin nhắn. Chạy lại trong ngày không gửi lần hai."
    )

    def handle(self, *args, **options):
        s = task_reminders_send()
        self.stdout.write(
            f"Nhắc sắp đến hạn: {s.due_soon}; nhắc quá hạn: {s.overdue}; "
            f"đã nhắc hôm nay: {s.already_sent}; bỏ qua vì ngày nghỉ: {s.day_off}."
        )
