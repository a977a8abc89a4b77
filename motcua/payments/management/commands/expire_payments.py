from django.core.management.base import BaseCommand

from motcua.payments.services import payments_expire


class Command(BaseCommand):
    help = (
        "Hủy các giao dịch thanh toán trực tuyến còn chờ quá hạn (gấp đôi MOTCUA_PAYMENT_EXPIRE_"
        "MINUTES). Nếu sau đó cổng vẫn báo đã thu tiền, khoản đó vẫn được ghi nhận. Dành cho cron."
    )

    def handle(self, *args, **options):
        count = payments_expire()
        self.stdout.write(f"Đã hủy {count} giao dịch quá hạn.")
