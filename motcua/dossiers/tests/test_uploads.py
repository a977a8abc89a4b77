"""The desk's uploads stream to disk and stop at the limit while they are read (hardening
issue, item 6); the server-level proof of memory is in test_live_server.py."""

import os

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.files import IncomingFile, IncomingFileUploadHandler
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF
from motcua.dossiers.tests.test_receipt import stored_files
from motcua.dossiers.tests.test_views import receive_post

MIB = 1024 * 1024


def test_oversize_desk_upload_gets_a_message_and_stores_nothing(
    client, desk_officer, version, commune, settings, monkeypatch
):
    settings.ATTACHMENT_MAX_MB = 1
    client.force_login(desk_officer)
    arrived = []
    monkeypatch.setattr(IncomingFile, "of", lambda upload: arrived.append(upload) or upload)
    big = SimpleUploadedFile("ban-quet.pdf", PDF + b"\0" * (3 * MIB))
    response = receive_post(client, version, deciding_agency=commune.pk, files=[big])
    assert response.status_code == 200
    assert "Tệp “ban-quet.pdf” lớn hơn 1 MB" in response.text
    assert not Dossier.objects.exists() and stored_files() == []
    # It was cut off while it streamed in, not read whole and measured afterwards.
    [upload] = arrived
    assert isinstance(upload, IncomingFile) and upload.too_large and upload.size == 0


def test_upload_handler_keeps_no_more_than_the_limit(settings):
    settings.ATTACHMENT_MAX_MB = 1
    handler = IncomingFileUploadHandler()
    handler.new_file("files", "to.pdf", "application/pdf", None)
    kept = []
    for start in range(0, 5 * MIB, 64 * 1024):
        handler.receive_data_chunk(b"\0" * (64 * 1024), start)
        kept.append(handler.incoming.file.seek(0, os.SEEK_END))
    incoming = handler.file_complete(5 * MIB)
    assert max(kept) <= MIB  # stopped at the limit while the upload was still coming
    assert kept[-1] == 0  # and what was kept is let go once it cannot be used
    assert incoming.too_large and incoming.received == 5 * MIB
    assert "lớn hơn 1 MB" in incoming.refusal.render(incoming.name)


def test_uploads_stream_to_disk_hashed_as_they_come(rf):
    """Parsing a 3 MB upload holds about one chunk in memory, not the file (Django's own
    handlers would keep it in memory: it is under FILE_UPLOAD_MAX_MEMORY_SIZE)."""
    import hashlib
    import tracemalloc

    content = PDF + b"%" * (2 * MIB)
    request = rf.post("/", {"files": SimpleUploadedFile("a.pdf", content)})
    tracemalloc.start()
    [upload] = request.FILES.getlist("files")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < MIB, peak
    assert isinstance(upload, IncomingFile) and IncomingFile.of(upload) is upload
    assert upload.sha256 == hashlib.sha256(content).hexdigest() and upload.size == len(content)
    assert b"".join(upload.chunks()) == content
