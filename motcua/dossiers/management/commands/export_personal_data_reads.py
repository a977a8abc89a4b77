"""``manage.py export_personal_data_reads --from 2026-11-01 --to 2026-11-30 [--out FILE]``:
the record of personal-data reads (ND 13/2023) of a period as CSV, for an inspection or a
person asking who read their data. Vietnamese headers; every cell formula-neutralised."""

import csv
import sys
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.models import PersonalDataRead
from motcua.spreadsheet import csv_safe
from motcua.workcalendar.calendar import VN_TZ

HEADER = ["Thời điểm", "Tài khoản", "Họ tên", "Mã hồ sơ", "Chủ hồ sơ", "Cơ quan giải quyết",
          "Nội dung xem"]  # fmt: skip


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: {text!r} (dạng YYYY-MM-DD).") from None


def _write(stream, reads) -> int:
    writer = csv.writer(stream)
    writer.writerow(HEADER)
    count = 0
    for read in reads.iterator(chunk_size=1000):
        user, dossier = read.user, read.dossier
        writer.writerow(
            csv_safe(cell)
            for cell in (
                read.at.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M:%S"),
                user.username,
                f"{user.last_name} {user.first_name}".strip(),
                dossier.code or dossier.uid.hex,
                dossier.applicant_name,
                dossier.deciding_agency.name,
                read.what,
            )
        )
        count += 1
    return count


class Command(BaseCommand):
    help = "Xuất nhật ký xem dữ liệu cá nhân của một khoảng ngày ra CSV."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="Từ ngày, YYYY-MM-DD.")
        parser.add_argument("--to", dest="last", required=True, help="Đến ngày (kể cả).")
        parser.add_argument("--out", help="Ghi ra tệp này (mặc định: đầu ra chuẩn).")

    def handle(self, *args, first, last, out, **options):
        first, last = _day(first), _day(last)
        if last < first:
            raise CommandError("Ngày cuối phải sau hoặc bằng ngày đầu.")
        start = datetime.combine(first, time(0), tzinfo=VN_TZ)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=VN_TZ)
        reads = (
            PersonalDataRead.objects.filter(at__gte=start, at__lt=end)
            .select_related("user", "dossier__deciding_agency")
            .order_by("at", "pk")
        )
        if out:
            with open(out, "w", newline="", encoding="utf-8-sig") as stream:
                count = _write(stream, reads)
        else:
            count = _write(sys.stdout, reads)
        if out:
            self.stdout.write(f"Đã ghi {count} lượt xem vào {out}.")
