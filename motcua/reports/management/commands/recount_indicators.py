"""Recount the leaders' day tallies from the dossiers and report every difference (ADR 0023);
``--repair`` makes the stored tallies equal to the recount."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.dossiers.tallies import tallies_recount

SHOWN = 50


class Command(BaseCommand):
    help = "Đếm lại số liệu chỉ đạo, điều hành từ hồ sơ và báo mọi chênh lệch (--repair: sửa)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Ghi lại số đếm lại vào bảng tổng hợp."
        )

    def handle(self, *args, repair=False, **options):
        with transaction.atomic():
            found = tallies_recount(repair=repair)
        for (agency, version, day), kept, counted in found.differences[:SHOWN]:
            names = sorted({*kept, *counted})
            changes = ", ".join(f"{n}: {kept.get(n, 0)} → {counted.get(n, 0)}" for n in names)
            where = f"Cơ quan {agency}, thủ tục {version}, ngày {day:%d/%m/%Y}"
            self.stdout.write(f"{where}: {changes}")
        if len(found.differences) > SHOWN:
            self.stdout.write(f"… và {len(found.differences) - SHOWN} dòng khác.")
        if not found.differences:
            self.stdout.write(f"Khớp: {found.keys} dòng tổng hợp, không có chênh lệch.")
        elif repair:
            self.stdout.write(f"Đã sửa {len(found.differences)} dòng tổng hợp.")
        else:
            raise CommandError(
                f"{len(found.differences)} dòng tổng hợp lệch so với hồ sơ "
                "(chạy lại với --repair để sửa)."
            )
