import sys

from django.core.management.base import BaseCommand

from motcua.dossiers.models import Dossier
from motcua.dossiers.trace import audit_verify


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm nhật ký xử lý của mọi hồ sơ; nêu hồ sơ bị sửa, xóa nhật ký."

    def handle(self, *args, **options):
        broken = audit_verify()
        total = Dossier.objects.count()
        if broken:
            for code in broken:
                self.stdout.write(f"HỎNG: nhật ký hồ sơ {code} đã bị thay đổi hoặc xóa.")
            self.stdout.write(f"{len(broken)}/{total} hồ sơ có nhật ký không toàn vẹn.")
            sys.exit(1)
        self.stdout.write(f"Toàn vẹn: nhật ký của {total} hồ sơ khớp chuỗi băm.")
