from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.models import Agency
from motcua.api.models import ApiKey


class Command(BaseCommand):
    help = "Tạo khóa API cho một hệ thống kết nối; khóa chỉ hiện một lần."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Tên hệ thống dùng khóa")
        parser.add_argument("--agency", required=True, help="Mã định danh cơ quan")
        parser.add_argument(
            "--migration",
            action="store_true",
            help="Khóa của công cụ chuyển dữ liệu cũ: được gửi hồ sơ tiếp nhận hơn 30 ngày trước.",
        )

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"Không có cơ quan mã {options['agency']}.")
        key, raw = ApiKey.issue(name=options["name"], agency=agency)
        if options["migration"]:
            ApiKey.objects.filter(pk=key.pk).update(is_migration=True)
        self.stderr.write(f"Khóa API cho “{options['name']}” ({agency.name}); lưu lại ngay:")
        self.stdout.write(raw)
