from django.core.management.base import BaseCommand

from motcua.dossiers.digest import digest_put


class Command(BaseCommand):
    help = (
        "Gửi thư tổng hợp hằng ngày cho cán bộ, lãnh đạo: hồ sơ sắp đến hạn và quá hạn tại "
        "vị trí của họ (chạy lại trong ngày không gửi thêm)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--any-day", action="store_true", help="Gửi cả vào ngày nghỉ (mặc định: không gửi)"
        )

    def handle(self, *args, **options):
        result = digest_put(any_day=options["any_day"])
        if result.day_off:
            self.stdout.write("Hôm nay không phải ngày làm việc: không gửi thư tổng hợp.")
            return
        self.stdout.write(
            f"Thư tổng hợp: {result.people} người có hồ sơ sắp đến hạn hoặc quá hạn, "
            f"{result.queued} thư mới vào hàng đợi."
        )
