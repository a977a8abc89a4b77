"""``manage.py verify_files``: files in storage and their rows agree."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from motcua.dossiers.tests.factories import PDF, PNG, receive


def verify(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_files", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def aged(name: str) -> str:
    """Make a stored file look written an hour ago."""
    path = default_storage.path(name)
    os.utime(path, (time.time() - 3600, time.time() - 3600))
    return name


@pytest.fixture
def dossiers(version, desk):
    return [receive(desk, version, files=[("a.pdf", PDF), ("b.png", PNG)]) for _ in range(3)]


def test_nothing_amiss_gives_a_summary_and_exit_0(dossiers):
    code, out = verify()
    assert code == 0
    assert out.strip() == "6 tệp, 6 bản ghi: 0 bản ghi thiếu tệp, 0 tệp mồ côi."


def test_a_file_without_its_row_is_reported_and_can_be_deleted(dossiers):
    orphan = aged(default_storage.save("dossiers/2026/11/mo-coi.pdf", ContentFile(PDF)))
    other = aged(default_storage.save("dossiers/2025/01/khac.png", ContentFile(PNG)))
    code, out = verify()
    assert code == 1 and f"MỒ CÔI: {orphan}" in out and f"MỒ CÔI: {other}" in out
    assert "8 tệp, 6 bản ghi: 0 bản ghi thiếu tệp, 2 tệp mồ côi." in out
    code, out = verify("--delete-orphans")
    assert code == 0 and f"ĐÃ XÓA tệp mồ côi: {orphan}" in out
    assert not default_storage.exists(orphan) and not default_storage.exists(other)
    assert verify()[0] == 0
    assert all(a.file.storage.exists(a.file.name) for d in dossiers for a in d.attachments.all())


def test_a_row_without_its_file_is_reported_and_never_deleted(dossiers):
    lost = dossiers[1].attachments.first()
    default_storage.delete(lost.file.name)
    code, out = verify("--delete-orphans")
    assert code == 1
    assert f"THIẾU TỆP: hồ sơ {dossiers[1].code}, bản ghi tệp #{lost.pk}: {lost.file.name}" in out
    assert lost.__class__.objects.filter(pk=lost.pk).exists()


def test_a_file_just_written_may_belong_to_a_receipt_in_progress(dossiers):
    fresh = default_storage.save("dossiers/2026/11/dang-ghi.pdf", ContentFile(PDF))
    code, out = verify("--delete-orphans")
    assert code == 0 and "Bỏ qua 1 tệp mới ghi" in out and default_storage.exists(fresh)
    code, out = verify("--grace-minutes", "0")
    assert code == 1 and f"MỒ CÔI: {fresh}" in out


def test_order_of_names_matches_the_database_order(version, desk):
    """Names that sort differently by locale than by code point (a capital, a dot, a digit
    after a letter) are still matched one to one."""
    for name in ("dossiers/2026/11/B.pdf", "dossiers/2026/11/a.pdf", "dossiers/2026/1/z.pdf"):
        aged(default_storage.save(name, ContentFile(PDF)))
    dossier = receive(desk, version, files=[("a.pdf", PDF)])
    item = dossier.attachments.get()
    item.file.name = "dossiers/2026/11/B.pdf"
    item.save()
    code, out = verify("--grace-minutes", "0")
    assert code == 1 and "0 bản ghi thiếu tệp" in out
    assert out.count("MỒ CÔI") == 3  # a.pdf, z.pdf and the receipt's own file now unused
