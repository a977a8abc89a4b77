import sys
from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from motcua.dossiers.files import attachment_files_check


class Command(BaseCommand):
    help = (
        "Đối chiếu tệp đã lưu (dossiers/) với bản ghi tệp của hồ sơ: nêu tệp không có bản ghi "
        "(tệp mồ côi, do một lần tiếp nhận bị ngắt) và bản ghi mất tệp; thoát với mã 1 nếu có."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-orphans",
            action="store_true",
            help="Xóa các tệp mồ côi (không bao giờ xóa bản ghi).",
        )
        parser.add_argument(
            "--grace-minutes",
            type=float,
            default=10,
            help="Tệp mới ghi trong ngần này phút có thể thuộc một lần tiếp nhận đang chạy: "
            "không coi là mồ côi (mặc định 10).",
        )

    def handle(self, *args, delete_orphans=False, grace_minutes=10, **options):
        found = attachment_files_check(grace=timedelta(minutes=grace_minutes))
        for pk, code, name in found.missing:
            self.stdout.write(f"THIẾU TỆP: hồ sơ {code}, bản ghi tệp #{pk}: {name}")
        for name in found.orphan_files:
            if delete_orphans:
                default_storage.delete(name)
                self.stdout.write(f"ĐÃ XÓA tệp mồ côi: {name}")
            else:
                self.stdout.write(f"MỒ CÔI: {name} không thuộc hồ sơ nào.")
        if found.recent_files:
            self.stdout.write(
                f"Bỏ qua {len(found.recent_files)} tệp mới ghi (dưới {grace_minutes:g} phút), "
                "có thể đang được tiếp nhận."
            )
        orphans = 0 if delete_orphans else len(found.orphan_files)
        summary = (
            f"{found.files} tệp, {found.rows} bản ghi: {len(found.missing)} bản ghi thiếu tệp, "
            f"{len(found.orphan_files)} tệp mồ côi"
            + (" (đã xóa)." if delete_orphans and found.orphan_files else ".")
        )
        self.stdout.write(summary)
        if found.missing or orphans:
            sys.exit(1)
