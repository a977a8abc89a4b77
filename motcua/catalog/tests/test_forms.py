"""Forms to download with a procedure: uploaded through the admin on a draft, checked like a
dossier's files and only DOCX or PDF, kept with their version (a new version has its own
copies, a superseded one keeps its own), served only as downloads."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import Procedure, ProcedureVersion, RequiredDocument
from motcua.catalog.services import procedure_draft_from_current, procedure_publish
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers.tests.factories import PDF, PNG, pdf_bytes
from motcua.dossiers.tests.test_files import docx_bytes

DOCX = docx_bytes()
PDF_WITH_SCRIPT = pdf_bytes(catalog="/OpenAction 5 0 R", objects=("<< /S /JavaScript /JS (1) >>",))


def _value(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return value


def _form_data(form, data):
    for name, field in form.fields.items():
        if name in ("form_file", "sample_file"):
            continue
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if isinstance(value, bool):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        data[form.add_prefix(name)] = _value(value)


def admin_post_data(response) -> dict:
    """What the admin's change page would post back unchanged."""
    data = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        for form in formset.forms:
            _form_data(form, data)
    return data


def draft_with_document(levels):
    publish(procedure_record(documents=[{"name": "Tờ khai", "originals": 1}]))
    return procedure_draft_from_current(procedure=Procedure.objects.get())


def upload(client, draft, **files):
    url = reverse("admin:catalog_procedureversion_change", args=[draft.pk])
    data = admin_post_data(client.get(url))
    for field, (name, content) in files.items():
        data[f"documents-0-{field}"] = SimpleUploadedFile(name, content)
    return client.post(url, data)


def test_administrator_uploads_a_form_and_a_sample_to_a_draft(client, admin_user, levels):
    draft = draft_with_document(levels)
    client.force_login(admin_user)
    response = upload(client, draft, form_file=("to-khai.docx", DOCX), sample_file=("x.bin", PDF))
    assert response.status_code == 302, response.context["errors"]
    document = RequiredDocument.objects.get(version=draft)
    assert document.form_file.name.startswith(f"forms/1.001193/v{draft.number}/")
    assert document.form_file.name.endswith(".docx")
    assert document.sample_file.name.endswith(".pdf")  # named by what it is, not "x.bin"
    assert document.form_file.read() == DOCX


def test_a_form_must_be_docx_or_pdf_without_active_content(client, admin_user, levels):
    draft = draft_with_document(levels)
    client.force_login(admin_user)
    response = upload(client, draft, form_file=("anh.png", PNG))
    assert response.status_code == 200
    assert "không phải DOCX hay PDF" in response.text
    response = upload(client, draft, sample_file=("mau.pdf", PDF_WITH_SCRIPT))
    assert response.status_code == 200
    assert "JavaScript" in response.text
    assert not RequiredDocument.objects.get(version=draft).form_file
    assert not RequiredDocument.objects.get(version=draft).sample_file


def test_a_published_version_is_not_changed_in_the_admin(client, admin_user, levels):
    publish(procedure_record())
    version = ProcedureVersion.objects.get()
    client.force_login(admin_user)
    url = reverse("admin:catalog_procedureversion_change", args=[version.pk])
    assert (
        client.post(url, {"documents-0-form_file": SimpleUploadedFile("a.pdf", PDF)}).status_code
        == 403
    )


def test_a_new_version_has_its_own_copies_and_the_old_keeps_its_own(client, admin_user, levels):
    draft = draft_with_document(levels)
    client.force_login(admin_user)
    upload(client, draft, form_file=("to-khai.docx", DOCX), sample_file=("mau.pdf", PDF))
    procedure_publish(version=draft)
    old = RequiredDocument.objects.get(version=draft)

    newer = procedure_draft_from_current(procedure=Procedure.objects.get())
    copy = RequiredDocument.objects.get(version=newer)
    assert copy.form_file.name != old.form_file.name
    assert copy.form_file.name.startswith(f"forms/1.001193/v{newer.number}/")
    assert copy.form_file.read() == DOCX and copy.sample_file.read() == PDF

    # the new version gets another form; the superseded one still serves its own
    upload(client, newer, form_file=("moi.pdf", PDF))
    procedure_publish(version=newer)
    old.refresh_from_db()
    assert old.version.status == ProcedureVersion.Status.SUPERSEDED
    assert old.form_file.read() == DOCX
    assert RequiredDocument.objects.get(version=newer).form_file.read() == PDF


def test_an_import_that_changes_a_procedure_keeps_its_forms(client, admin_user, levels):
    draft = draft_with_document(levels)
    client.force_login(admin_user)
    upload(client, draft, form_file=("to-khai.docx", DOCX))
    procedure_publish(version=draft)
    publish(procedure_record(documents=[{"name": "Tờ khai"}, {"name": "Ảnh"}], processing_time="5"))
    current = Procedure.objects.get().current_version
    assert current.number == draft.number + 1
    documents = {d.name: d for d in current.documents.all()}
    assert documents["Tờ khai"].form_file.read() == DOCX
    assert not documents["Ảnh"].form_file


def test_forms_are_served_as_downloads_named_after_the_form(client, admin_user, levels):
    draft = draft_with_document(levels)
    client.force_login(admin_user)
    upload(client, draft, form_file=("x.docx", DOCX), sample_file=("y.pdf", PDF))
    procedure_publish(version=draft)
    client.logout()
    document = RequiredDocument.objects.get(version=draft)
    url = reverse("portal:procedure_form", args=["1.001193", document.pk, "mau-don"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert "T%E1%BB%9D%20khai.docx" in response["Content-Disposition"]  # "Tờ khai.docx"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == DOCX
    sample = client.get(
        reverse("portal:procedure_form", args=["1.001193", document.pk, "ban-khai-mau"])
    )
    assert sample["Content-Type"] == "application/pdf"
    assert "b%E1%BA%A3n%20khai%20m%E1%BA%ABu" in sample["Content-Disposition"]


def test_no_download_of_a_draft_another_procedure_or_a_missing_file(client, admin_user, levels):
    draft = draft_with_document(levels)
    client.force_login(admin_user)
    upload(client, draft, form_file=("x.docx", DOCX))
    client.logout()
    document = RequiredDocument.objects.get(version=draft)
    form = reverse("portal:procedure_form", args=["1.001193", document.pk, "mau-don"])
    assert client.get(form).status_code == 404  # the draft is not public
    procedure_publish(version=draft)
    assert client.get(form).status_code == 200
    for args in [
        ["2.000635", document.pk, "mau-don"],  # not this procedure's document
        ["1.001193", document.pk, "ban-khai-mau"],  # no sample
        ["1.001193", document.pk, "khac"],
    ]:
        assert client.get(reverse("portal:procedure_form", args=args)).status_code == 404
