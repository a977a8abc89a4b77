from django.core.management.base import BaseCommand, CommandError

from motcua.submissions.services import DRAFT_KEEP_DAYS, drafts_delete_abandoned


class Command(BaseCommand):
    help = (
        "Xóa hồ sơ nháp nộp trực tuyến bị bỏ dở (chưa nộp, không ai sửa trong N ngày) cùng các "
        "tệp đã tải lên. Không bao giờ xóa hồ sơ đã nộp hay tệp của hồ sơ. Chạy hằng ngày (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DRAFT_KEEP_DAYS,
            help=f"Số ngày không ai sửa hồ sơ nháp thì xóa (mặc định {DRAFT_KEEP_DAYS}).",
        )

    def handle(self, *args, days=DRAFT_KEEP_DAYS, **options):
        if days < 1:
            raise CommandError("--days phải từ 1 trở lên.")
        drafts, files = drafts_delete_abandoned(days=days)
        self.stdout.write(
            f"Đã xóa {drafts} hồ sơ nháp bỏ dở quá {days} ngày, cùng {files} tệp đã tải lên."
        )
