from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.api.selectors import api_keys_matching
from motcua.api.services import api_key_revoke


class Command(BaseCommand):
    help = "Thu hồi một khóa API (theo tiền tố, tên hệ thống hoặc cả khóa); có hiệu lực ngay."

    def add_arguments(self, parser):
        parser.add_argument("key", help="Tiền tố khóa (mc_…), tên hệ thống, hoặc cả khóa")

    def handle(self, *args, **options):
        text = options["key"]
        keys = list(api_keys_matching(text=text))
        if not keys:
            raise CommandError(f"Không có khóa API nào khớp với “{text}”.")
        active = [key for key in keys if key.revoked_at is None]
        if not active:
            when = timezone.localtime(keys[0].revoked_at)
            self.stdout.write(f"Khóa {keys[0]} đã bị thu hồi từ trước ({when:%H:%M %d/%m/%Y}).")
            return
        if len(active) > 1:
            listing = "; ".join(f"{key} — {key.agency.name}" for key in active)
            raise CommandError(
                f"Có {len(active)} khóa đang dùng khớp với “{text}”: {listing}. Hãy ghi tiền tố "
                "của khóa cần thu hồi. Chưa thu hồi khóa nào."
            )
        key = active[0]
        api_key_revoke(key=key)
        self.stdout.write(f"Đã thu hồi khóa {key} của {key.agency.name}; có hiệu lực ngay.")
