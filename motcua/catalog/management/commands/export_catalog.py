from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.catalog.services import catalog_export


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục đang áp dụng ra JSON (mặc định) hoặc CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", "-o", help="Tệp ghi ra; bỏ trống để in ra màn hình")

    def handle(self, *args, **options):
        content = catalog_export(as_csv=options["format"] == "csv")
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
            self.stdout.write(f"Đã ghi {options['output']}.")
        else:
            self.stdout.write(content)
