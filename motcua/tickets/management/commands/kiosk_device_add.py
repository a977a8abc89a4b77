from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.models import Desk
from motcua.tickets.kiosk import kiosk_device_add


class Command(BaseCommand):
    help = (
        "Đăng ký một máy lấy số (màn hình cảm ứng) của bộ phận một cửa, in ra khóa của máy "
        "(chỉ một lần). Mở /lay-so/{bộ phận}/?may={khóa} trên máy đó một lần: máy lấy số "
        "cho mọi người dân tại bộ phận, không bị giới hạn số lượng theo địa chỉ mạng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--desk", type=int, required=True, help="id của bộ phận một cửa")
        parser.add_argument("--name", required=True, help="tên máy, ví dụ “Máy lấy số cửa 1”")

    def handle(self, *args, desk, name, **options):
        found = Desk.objects.filter(pk=desk).first()
        if found is None:
            raise CommandError("Không tìm thấy bộ phận một cửa này.")
        device, key = kiosk_device_add(desk=found, name=name[:100])
        self.stdout.write(f"Đã đăng ký “{device.name}”. Khóa: {key}")
        self.stdout.write(f"Mở trên máy: /lay-so/{found.pk}/?may={key}")
