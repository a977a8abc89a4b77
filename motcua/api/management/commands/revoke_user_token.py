from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.api.selectors import user_tokens_matching
from motcua.api.services import user_token_revoke


class Command(BaseCommand):
    help = (
        "Thu hồi mã truy cập cá nhân của cán bộ (theo tiền tố mcu_…, cả mã, hoặc tên đăng nhập "
        "kèm --all để thu hồi mọi mã của người đó); có hiệu lực ngay trên mọi tiến trình."
    )

    def add_arguments(self, parser):
        parser.add_argument("token", help="Tiền tố mã (mcu_…), cả mã, hoặc tên đăng nhập")
        parser.add_argument(
            "--all",
            action="store_true",
            help="Thu hồi mọi mã đang dùng khớp (ví dụ mọi mã của một tài khoản)",
        )

    def handle(self, *args, **options):
        text = options["token"]
        tokens = list(user_tokens_matching(text=text))
        if not tokens:
            raise CommandError(f"Không có mã truy cập nào khớp với “{text}”.")
        active = [token for token in tokens if token.revoked_at is None]
        if not active:
            when = timezone.localtime(max(token.revoked_at for token in tokens))
            self.stdout.write(
                f"Mã khớp với “{text}” đã bị thu hồi từ trước ({when:%H:%M %d/%m/%Y})."
            )
            return
        if len(active) > 1 and not options["all"]:
            listing = "; ".join(f"{token} — {token.user.username}" for token in active)
            raise CommandError(
                f"Có {len(active)} mã đang dùng khớp với “{text}”: {listing}. Hãy ghi tiền tố "
                "của mã cần thu hồi, hoặc thêm --all để thu hồi tất cả. Chưa thu hồi mã nào."
            )
        for token in active:
            user_token_revoke(token=token)
            self.stdout.write(f"Đã thu hồi mã {token} của {token.user.username}; có hiệu lực ngay.")
