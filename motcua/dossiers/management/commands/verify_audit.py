import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.dossiers.models import Dossier
from motcua.dossiers.trace import audit_verify, checkpoint_verify


class Command(BaseCommand):
    help = (
        "Kiểm tra chuỗi băm nhật ký xử lý của mọi hồ sơ (và, với --checkpoint, lịch sử trước "
        "một điểm chốt); nêu hồ sơ bị sửa, xóa nhật ký."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            help="Tệp điểm chốt (trace_checkpoint) để đối chiếu; có thể nêu nhiều lần.",
        )

    def handle(self, *args, **options):
        broken = audit_verify()
        total = Dossier.objects.count()
        for name in options["checkpoint"]:
            document = json.loads(Path(name).read_text(encoding="utf-8"))
            for problem in checkpoint_verify(document):
                if problem not in broken:
                    broken.append(problem)
                self.stdout.write(f"HỎNG so với điểm chốt {document.get('taken_at')}: {problem}")
        if broken:
            for code in broken:
                self.stdout.write(f"HỎNG: nhật ký hồ sơ {code} đã bị thay đổi hoặc xóa.")
            self.stdout.write(f"{len(broken)}/{total} hồ sơ có nhật ký không toàn vẹn.")
            sys.exit(1)
        self.stdout.write(f"Toàn vẹn: nhật ký của {total} hồ sơ khớp chuỗi băm.")
