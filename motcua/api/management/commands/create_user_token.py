from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from motcua.api.services import user_token_create


class Command(BaseCommand):
    help = (
        "Tạo mã truy cập cá nhân (API cán bộ, SPEC §12.2) cho một tài khoản cán bộ; mã là từ "
        "cuối cùng của dòng in ra và chỉ hiện một lần."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Tên đăng nhập của cán bộ")
        parser.add_argument("--name", default="", help="Tên mã (dùng ở đâu)")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{options['username']}”.")
        try:
            token, raw = user_token_create(user=user, name=options["name"] or "Dòng lệnh")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Mã truy cập “{token.name}” của {user.username}, lưu lại ngay: {raw}")
