from django.core.management.base import BaseCommand

from motcua.notifications.services import message_templates_load


class Command(BaseCommand):
    help = (
        "Nạp mẫu tin nhắn mặc định cho mọi loại tin chưa có mẫu (chạy lại không sao); "
        "--reset đặt lại mẫu mặc định đè lên bản đã sửa."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Đặt lại mẫu mặc định")

    def handle(self, *args, **options):
        created, reset = message_templates_load(reset=options["reset"])
        self.stdout.write(f"Mẫu tin nhắn: {created} mới, {reset} đặt lại mặc định.")
