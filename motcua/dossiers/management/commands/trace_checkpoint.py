"""Take a signed checkpoint of every dossier's chain head and write it to a file to keep
apart from the database (another server, write-once storage, a printout of its signature).
Run it regularly (cron or a systemd timer: see README)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.dossiers.trace import checkpoint_take


class Command(BaseCommand):
    help = "Chốt nhật ký: ký số đầu chuỗi băm của mọi hồ sơ và ghi ra tệp để lưu tách riêng."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="Tệp JSON ghi ra (mặc định var/checkpoints/…json)")

    def handle(self, *args, **options):
        document = checkpoint_take()
        stamp = document["taken_at"].replace(":", "").replace("-", "")[:15]
        path = Path(options["out"] or settings.VAR_DIR / "checkpoints" / f"trace-{stamp}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(
            f"Đã chốt {document['dossiers']} hồ sơ; chữ ký {document['signature']}; tệp {path}"
        )
