from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import CatalogImportError, catalog_import, read_catalog_file


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục từ tệp JSON hoặc CSV (xem docs/catalog-import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .json hoặc .csv")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            records = read_catalog_file(path.read_bytes(), filename=path.name)
            summary = catalog_import(records=records)
        except UnicodeDecodeError as exc:
            raise CommandError("Tệp phải được mã hóa UTF-8.") from exc
        except CatalogImportError as exc:
            for row, code, message in exc.errors:
                self.stderr.write(f"Dòng {row}{f' ({code})' if code else ''}: {message}")
            raise CommandError(
                f"Không nhập gì: {len(exc.errors)} lỗi trong tệp {path.name}."
            ) from exc
        self.stdout.write(
            f"Đã nhập {path.name}: {summary.created} thủ tục mới, {summary.updated} cập nhật "
            f"(phiên bản mới), {summary.unchanged} không đổi."
        )
