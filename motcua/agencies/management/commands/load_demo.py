from django.core.management.base import BaseCommand

from motcua.citizens.demo import demo_citizen_load
from motcua.demodata.province import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Tạo hoặc cập nhật tỉnh trình diễn: cơ quan, cán bộ, lịch, danh mục thủ tục."

    def handle(self, *args, **options):
        result = load_demo()
        catalog = result["catalog"]
        self.stdout.write(
            f"Tỉnh trình diễn: {result['agencies']} cơ quan; thủ tục: {catalog.created} mới, "
            f"{catalog.updated} cập nhật, {catalog.unchanged} không đổi; "
            f"{result['dossiers']} hồ sơ mẫu mới; {result['tasks']} nhiệm vụ mẫu mới; "
            f"{result['tickets']} số thứ tự mẫu mới."
        )
        self.stdout.write("Xếp hàng tại xã Khe Sanh: máy lấy số, màn hình gọi số ở /lay-so/.")
        self.stdout.write(f"\nTài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD}):")
        logins = [*result["logins"], demo_citizen_load(password=DEMO_PASSWORD)]
        for username, full_name, role in logins:
            self.stdout.write(f"  {username:<18} {full_name:<20} {role}")
