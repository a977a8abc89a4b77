"""Work as officers do it (SPEC §3, §4, §6, §7): a step assigned to a named officer, opinions
and working files, the result attached at approval, an extension proposed and issued by the
leader within SPEC §6's limits, and a request to complete during processing on form 02."""

import hashlib
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from conftest import _staff
from motcua.agencies.models import Membership, Role
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers import access
from motcua.dossiers.models import Attachment, DeskNotice, Dossier, DossierEvent, Status
from motcua.dossiers.papers import control_rows
from motcua.dossiers.selectors import dossier_public_status, inbox_queryset, unit_load
from motcua.dossiers.services import IncomingFile
from motcua.dossiers.tests.factories import PDF, PNG, act, as_actor, receive, vn
from motcua.dossiers.trace import audit_verify
from motcua.dossiers.transitions import Relation, TransitionRefused


@pytest.fixture
def binh(specialist, commune):
    """bob's colleague in the same unit (Tư pháp)."""
    return _staff("binh", commune, Role.SPECIALIST, unit=specialist.memberships.get().unit)


@pytest.fixture
def at_specialist(version, desk, desk_officer, specialist, clock):
    """Received Monday 9/11 10:00 (due Thursday 12/11 10:00), now at Tư pháp's step."""
    clock(vn(2026, 11, 9, 10))
    return act(receive(desk, version, at=vn(2026, 11, 9, 10)), "forward", desk_officer)


def at_leader(dossier, specialist):
    return act(dossier, "forward", specialist)


def mine(user) -> set[str]:
    return set(inbox_queryset(actor=as_actor(user), box="mine").values_list("code", flat=True))


def incoming(name, content) -> IncomingFile:
    return IncomingFile(name, content)


# --- 1. assignment -------------------------------------------------------------------------


def test_the_head_of_unit_assigns_an_officer_of_the_unit_and_it_becomes_theirs(
    at_specialist, specialist, unit_head, binh
):
    assert mine(specialist) == set()
    dossier = act(at_specialist, "assign", unit_head, assignee="bob", note="Anh Bob thụ lý")
    assert dossier.current_assignee == specialist and dossier.status == Status.PROCESSING
    assert mine(specialist) == {dossier.code} and mine(binh) == set()
    event = dossier.events.order_by("-seq").first()
    assert event.action == "assign" and event.data["assignee"] == "bob"
    assert event.data["previous_assignee"] is None and event.note == "Anh Bob thụ lý"
    with pytest.raises(PermissionDenied):  # binh no longer holds the step
        act(dossier, "forward", binh)
    assert act(dossier, "forward", specialist).current_role == Role.AGENCY_LEADER


def test_a_specialist_takes_an_unassigned_dossier_for_themselves_only(
    at_specialist, specialist, binh
):
    with pytest.raises(PermissionDenied, match="chỉ nhận hồ sơ cho chính mình"):
        act(at_specialist, "assign", binh, assignee="bob")
    assert Dossier.objects.get().current_assignee is None
    dossier = act(at_specialist, "assign", specialist, assignee="bob")
    assert dossier.current_assignee == specialist
    assert dossier.events.order_by("-seq").first().data["claimed"] is True
    assert Relation.CLAIMANT not in access.relations(as_actor(binh), dossier)
    with pytest.raises(PermissionDenied):  # taken: only the head of unit moves it now
        act(dossier, "assign", binh, assignee="binh")


def test_only_an_active_officer_of_the_units_step_can_be_assigned(
    at_specialist, unit_head, desk_officer, binh
):
    for who in ("alice", "nobody", ""):  # the desk officer is not of Tư pháp
        with pytest.raises(ValidationError):
            act(at_specialist, "assign", unit_head, assignee=who)
    binh.is_active = False
    binh.save()
    with pytest.raises(ValidationError, match="không phải cán bộ"):
        act(at_specialist, "assign", unit_head, assignee="binh")
    assert Dossier.objects.get().version == at_specialist.version


def test_reassignment_leaves_a_trace(at_specialist, specialist, unit_head, binh):
    dossier = act(at_specialist, "assign", unit_head, assignee="bob")
    with pytest.raises(ValidationError, match="đang do"):  # the same officer again
        act(dossier, "assign", unit_head, assignee="bob")
    dossier = act(dossier, "assign", unit_head, assignee="binh", note="Bob nghỉ phép")
    assigns = list(dossier.events.filter(action="assign").values_list("data", flat=True))
    assert [(d["previous_assignee"], d["assignee"]) for d in assigns] == [
        (None, "bob"),
        ("bob", "binh"),
    ]
    assert mine(specialist) == set() and mine(binh) == {dossier.code}
    assert audit_verify() == []


def test_the_trace_names_the_officers_by_their_full_names(
    client, at_specialist, specialist, unit_head, binh
):
    for user, last in ((specialist, "Trần Văn"), (binh, "Lê Thị")):
        user.last_name = last
        user.save()
    dossier = act(at_specialist, "assign", unit_head, assignee="bob")
    dossier = act(dossier, "assign", unit_head, assignee="binh", note="Bob nghỉ phép")
    assert dossier.events.order_by("-seq").first().data["previous_assignee_name"] == (
        "Trần Văn Bob"
    )
    _legacy_assign(dossier, unit_head, to=specialist, before="binh")  # no names written
    client.force_login(unit_head)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).text
    assert "Giao cho Lê Thị Binh" in page and "trước đó: Trần Văn Bob" in page
    assert "trước đó: Lê Thị Binh" in page  # read from the account for the older event
    assert "trước đó: bob" not in page and "trước đó: binh" not in page
    notes = control_rows(Dossier.objects.get())[1].notes
    assert notes[0].startswith("Giao lại cho Lê Thị Binh (trước đó Trần Văn Bob) (Hung, ")
    assert notes[0].endswith(": Bob nghỉ phép")
    assert notes[1].startswith("Giao lại cho Trần Văn Bob (trước đó Lê Thị Binh)")
    from motcua.dossiers.papers import dossier_paper
    from motcua.dossiers.tests.test_papers import pdf_text, save_pages

    pdf = dossier_paper(Dossier.objects.get(), "06").pdf()
    save_pages(pdf, "form-06-reassigned")
    assert "Giao lại cho Lê Thị Binh" in re.sub(r"\s+", " ", pdf_text(pdf)[0])


def _legacy_assign(dossier, head, *, to, before):
    """An assignment as events recorded it before they named the one who had it before."""
    from django.db import transaction

    from motcua.agencies.selectors import person_name
    from motcua.dossiers.trace import event_append

    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        locked.current_assignee = to
        event_append(
            locked, action="assign", actor=as_actor(head), at=locked.step_started_at,
            status_before=locked.status, step_before=locked.current_step.order,
            data={"assignee": to.username, "assignee_name": person_name(to),
                  "previous_assignee": before},
        )  # fmt: skip
        locked.save()


def test_only_a_units_step_is_assigned(version, desk, desk_officer, unit_head):
    dossier = receive(desk, version)  # at the desk's step
    with pytest.raises(TransitionRefused, match="không có ai để phân công"):
        act(dossier, "assign", None, assignee="bob")


def test_a_specialist_cannot_take_the_head_of_units_own_step(
    desk, desk_officer, specialist, unit_head, leader, clock
):
    publish(
        procedure_record(
            "9.000010",
            steps=[
                {"name": "Tiếp nhận", "role": "desk_officer", "budget_hours": "2"},
                {"name": "Thẩm định", "role": "specialist", "unit_function": "tu-phap",
                 "budget_hours": "8"},
                {"name": "Lãnh đạo phòng xem xét", "role": "unit_head",
                 "unit_function": "tu-phap", "budget_hours": "4"},
                {"name": "Ký duyệt", "role": "agency_leader", "budget_hours": "4"},
                {"name": "Trả kết quả", "role": "desk_officer", "budget_hours": "2"},
            ],
        )
    )  # fmt: skip
    version = Procedure.objects.get(code="9.000010").current_version
    dossier = act(act(receive(desk, version), "forward", desk_officer), "forward", specialist)
    assert dossier.current_role == Role.UNIT_HEAD
    assert access.relations(as_actor(specialist), dossier) == frozenset()
    with pytest.raises(PermissionDenied):
        act(dossier, "assign", specialist, assignee="bob")
    assert Relation.HOLDER in access.relations(as_actor(unit_head), dossier)


def test_sent_back_it_returns_to_the_officer_who_passed_it_on(
    at_specialist, specialist, unit_head, leader
):
    dossier = act(at_specialist, "assign", unit_head, assignee="bob")
    dossier = act(at_leader(dossier, specialist), "send_back", leader, note="Sửa dự thảo")
    assert dossier.current_step.order == 2 and dossier.current_assignee == specialist
    assert mine(specialist) == {dossier.code}
    assert dossier.events.order_by("-seq").first().data["assignee"] == "bob"


def test_sent_back_to_an_officer_who_left_the_unit_it_waits_unassigned(
    at_specialist, specialist, unit_head, leader
):
    dossier = at_leader(act(at_specialist, "assign", unit_head, assignee="bob"), specialist)
    Membership.objects.filter(user=specialist).delete()
    dossier = act(dossier, "send_back", leader, note="Sửa dự thảo")
    assert dossier.current_assignee is None


def test_heads_of_unit_see_the_load_of_each_officer(
    version, desk, desk_officer, specialist, unit_head, binh, clock, django_assert_num_queries
):
    clock(vn(2026, 11, 9, 10))
    early = act(receive(desk, version, at=vn(2026, 11, 9, 10)), "forward", desk_officer)
    clock(vn(2026, 11, 12, 9))
    later = [act(receive(desk, version), "forward", desk_officer) for _ in range(2)]
    act(early, "assign", unit_head, assignee="bob")
    act(later[0], "assign", unit_head, assignee="bob")
    clock(vn(2026, 11, 13, 9))  # the first one is overdue now
    head = as_actor(unit_head)
    with django_assert_num_queries(3):  # however many dossiers and officers
        (load,) = unit_load(actor=head)
    rows = {row.name: (row.open, row.overdue) for row in load.officers}
    assert rows == {"Binh": (0, 0), "Bob": (2, 1), "Hung": (0, 0)}
    assert (load.unassigned.open, load.unassigned.overdue) == (1, 0)
    assert unit_load(actor=as_actor(specialist)) == []  # only heads of unit see it


def test_the_inbox_page_shows_the_head_of_unit_the_load(client, at_specialist, unit_head):
    client.force_login(unit_head)
    page = client.get(reverse("dossiers:inbox"))
    assert "Khối lượng theo cán bộ" in page.text and "Chưa phân công" in page.text


def test_a_specialist_lands_on_their_own_box_a_head_of_unit_on_the_units(
    client, at_specialist, specialist, unit_head, binh
):
    """With no box chosen, "Của tôi" opens for a specialist who has dossiers assigned to
    them, the unit's box for one who has none and for the head of unit; a chosen box stays
    (``?hop=``)."""

    def opened(user, query="") -> str:
        client.force_login(user)
        page = client.get(reverse("dossiers:inbox") + query).text
        return re.search(r'<a href="\?hop=(\w+)[^"]*" aria-current="page"', page).group(1)

    assert opened(specialist) == "unit"  # nothing of their own yet
    act(at_specialist, "assign", unit_head, assignee="bob")
    assert opened(specialist) == "mine"
    assert opened(specialist, "?hop=unit") == "unit"
    assert opened(binh) == "unit"
    assert opened(unit_head) == "unit"


def test_a_step_past_its_own_due_time_is_marked_in_words_in_the_inbox(
    client, at_specialist, specialist, desk, desk_officer, version, clock
):
    """SPEC §6: each step has its own budget. Tư pháp's step (12 working hours from Mon 9/11
    10:00) is past due on Wed 11/11 09:00 while the dossier (due Thu 12/11) is not: its row
    (a card at 390 px: the same cell) says "Quá hạn bước" beside the step's due time; a step
    in time, or a dossier waiting for the applicant (its clock stopped), says nothing."""
    forwarded = act(receive(desk, version, at=vn(2026, 11, 9, 10)), "forward", desk_officer)
    waiting = act(forwarded, "request_supplement", specialist, missing_documents=["Giấy khai sinh"])
    client.force_login(specialist)

    def step_cells(when) -> dict[str, str]:
        clock(when)
        page = client.get(reverse("dossiers:inbox") + "?hop=unit").text
        rows = re.findall(r"<tr role=\"row\".*?</tr>", page, re.S)
        return {
            code: re.search(r'data-label="Hạn bước">(.*?)</td>', row, re.S).group(1)
            for row in rows
            for code in re.findall(r'class="code">([^<]+)<', row)
        }

    in_time = step_cells(vn(2026, 11, 10, 9))
    assert "Quá hạn bước" not in in_time[at_specialist.code]
    late = step_cells(vn(2026, 11, 11, 9))
    assert re.search(r"\d\d/11/2026 <span class=\"badge late step-late\">Quá hạn bước</span>",
                     late[at_specialist.code])  # fmt: skip
    waiting = Dossier.objects.get(pk=waiting.pk)
    assert waiting.step_due_at < vn(2026, 11, 11, 9) and not waiting.is_step_overdue
    assert not Dossier.objects.get(pk=at_specialist.pk).is_overdue  # only the step is late


def test_the_head_of_unit_assigns_from_the_dossiers_page(
    client, at_specialist, specialist, unit_head
):
    client.force_login(unit_head)
    url = reverse("dossiers:detail", args=[at_specialist.code])
    page = client.get(url)
    assert '<option value="bob">' in page.text
    client.post(
        reverse("dossiers:act", args=[at_specialist.code]),
        {"action": "assign", "version": at_specialist.version, "assignee": "bob"},
    )
    assert Dossier.objects.get().current_assignee == specialist
    assert "Đã phân công hồ sơ" in client.get(url).text


# --- 2. opinions and working files ---------------------------------------------------------


def test_an_opinion_with_working_files_stays_at_the_step_and_in_the_trace(
    at_specialist, specialist
):
    dossier = act(
        at_specialist,
        "comment",
        specialist,
        note="Đã xác minh, đủ điều kiện.",
        files=[incoming("du-thao-quyet-dinh.pdf", PDF), incoming("bien-ban.png", PNG)],
    )
    assert dossier.status == Status.PROCESSING and dossier.current_step.order == 2
    event = dossier.events.order_by("-seq").first()
    assert event.action == "comment" and event.note == "Đã xác minh, đủ điều kiện."
    files = list(dossier.attachments.filter(kind=Attachment.Kind.WORKING).order_by("pk"))
    assert [f.event_id for f in files] == [event.pk, event.pk]
    assert event.data["files"] == [
        {"name": "du-thao-quyet-dinh.pdf", "sha256": hashlib.sha256(PDF).hexdigest(),
         "kind": "working"},
        {"name": "bien-ban.png", "sha256": hashlib.sha256(PNG).hexdigest(), "kind": "working"},
    ]  # fmt: skip
    assert files[0].uploaded_by == specialist
    assert audit_verify() == []


def test_an_opinion_needs_words_or_a_file(at_specialist, specialist):
    with pytest.raises(ValidationError, match="Ghi ý kiến"):
        act(at_specialist, "comment", specialist, note="  ")
    assert DossierEvent.objects.filter(action="comment").count() == 0


def test_a_working_file_is_judged_by_its_content_and_a_refusal_keeps_nothing(
    at_specialist, specialist
):
    with pytest.raises(ValidationError, match=r"du-thao\.pdf"):
        act(at_specialist, "forward", specialist, files=[incoming("du-thao.pdf", b"MZ\x90\x00")])
    assert Dossier.objects.get().current_step.order == 2
    assert not Attachment.objects.filter(kind=Attachment.Kind.WORKING).exists()
    assert _stored() == set()


def test_files_only_with_the_actions_that_take_them(at_specialist, desk_officer):
    with pytest.raises(ValidationError, match="không kèm tệp"):
        act(at_specialist, "withdraw", desk_officer, note="Rút", files=[incoming("a.pdf", PDF)])
    assert Dossier.objects.get().status == Status.PROCESSING


def test_a_file_written_for_an_action_that_then_fails_is_deleted(
    at_specialist, specialist, leader, monkeypatch
):
    """Files are written before their rows; when the action fails after that, they go too."""

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    dossier = at_leader(at_specialist, specialist)
    monkeypatch.setattr(Attachment.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        act(dossier, "approve", leader, result_file=incoming("qd.pdf", PDF))
    assert _stored() == set() and Dossier.objects.get().status == Status.PROCESSING


def _stored(folder="dossiers") -> set[str]:
    """Every file under ``folder`` in storage."""
    if not default_storage.exists(folder):
        return set()
    folders, files = default_storage.listdir(folder)
    found = {f"{folder}/{name}" for name in files}
    for sub in folders:
        found |= _stored(f"{folder}/{sub}")
    return found


def test_the_next_step_sees_the_opinions_and_drafts(client, at_specialist, specialist, leader):
    dossier = act(
        at_specialist, "comment", specialist, note="Đề nghị cấp giấy.",
        files=[incoming("du-thao.pdf", PDF)],
    )  # fmt: skip
    dossier = at_leader(dossier, specialist)
    draft = dossier.attachments.get(kind=Attachment.Kind.WORKING)
    client.force_login(leader)
    page = client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert "Đề nghị cấp giấy." in page.text and "du-thao.pdf" in page.text
    download = client.get(reverse("dossiers:attachment", args=[dossier.code, draft.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_opinions_and_working_files_are_never_public(client, at_specialist, specialist):
    secret = "Nghi vấn giấy tờ giả, chưa báo công dân"
    dossier = act(at_specialist, "comment", specialist, note=secret,
                  files=[incoming("bien-ban-xac-minh.pdf", PDF)])  # fmt: skip
    dossier = act(dossier, "assign", specialist, assignee="bob")
    public = dossier_public_status(code=dossier.code, verify="5678")
    assert [s["action"] for s in public["steps"]] == ["receive", "forward"]
    answer = client.get(f"/api/v1/public/dossiers/{dossier.code}?verify=5678")
    page = client.get(f"/tra-cuu/?code={dossier.code}&verify=5678")
    for text in (answer.text, page.text):
        assert secret not in text and "bien-ban" not in text and "comment" not in text
        assert "Ghi ý kiến" not in text and "Phân công" not in text


def test_a_citizen_never_opens_the_staff_pages_of_their_own_dossier(
    client, version, desk, desk_officer, specialist, citizen
):
    from motcua.dossiers.services import Receipt, dossier_submit
    from motcua.dossiers.tests.factories import applicant

    submitted = dossier_submit(
        desk=desk, procedure_version=version, actor=as_actor(citizen),
        receipt=Receipt(applicant=applicant(), channel=2),
    )  # fmt: skip
    dossier = act(act(submitted, "accept", desk_officer), "forward", desk_officer)
    dossier = act(dossier, "comment", specialist, note="x", files=[incoming("d.pdf", PDF)])
    draft = dossier.attachments.get(kind=Attachment.Kind.WORKING)
    client.force_login(citizen)
    for url in (
        reverse("dossiers:detail", args=[dossier.code]),
        reverse("dossiers:attachment", args=[dossier.code, draft.pk]),
    ):
        assert client.get(url).status_code == 404


def test_the_control_slip_has_no_row_for_work_inside_a_step_but_names_the_assignee(
    at_specialist, specialist, leader
):
    dossier = act(at_specialist, "assign", specialist, assignee="bob")
    dossier = act(dossier, "comment", specialist, note="Ý kiến")
    dossier = at_leader(dossier, specialist)
    rows = control_rows(dossier)
    assert [(r.kind, r.order) for r in rows] == [("step", 1), ("step", 2), ("step", 3)]
    assert rows[1].given_by == "Alice"  # the desk gave it, bob received it; then bob gave
    assert rows[1].received_by == "Bob"  # assigned to him: the slip's "by whom" (SPEC §7)
    assert not any("Ý kiến" in note or "assign" in note for r in rows for note in r.notes)


# --- 3. the result -------------------------------------------------------------------------


def test_approval_needs_the_result(at_specialist, specialist, leader):
    dossier = at_leader(at_specialist, specialist)
    with pytest.raises(ValidationError, match="Đính kèm kết quả"):
        act(dossier, "approve", leader, note="Đồng ý")
    with pytest.raises(ValidationError, match="không phải PDF"):
        act(dossier, "approve", leader, result_file=incoming("qd.png", PNG))
    assert Dossier.objects.get().status == Status.PROCESSING


def test_the_signed_result_is_kept_with_its_sha256_and_returned(
    client, at_specialist, specialist, leader, desk_officer
):
    dossier = at_leader(at_specialist, specialist)
    dossier = act(dossier, "approve", leader, result_file=incoming("quyet-dinh.pdf", PDF))
    digest = hashlib.sha256(PDF).hexdigest()
    assert dossier.status == Status.RESULT_READY and dossier.result_kind == "electronic"
    result = dossier.attachments.get(kind=Attachment.Kind.RESULT)
    assert result.sha256 == digest and result.content_type == "application/pdf"
    event = dossier.events.order_by("-seq").first()
    assert event.data["result"] == "electronic" and event.data["files"][0]["sha256"] == digest
    client.force_login(desk_officer)
    assert digest in client.get(reverse("dossiers:detail", args=[dossier.code])).text
    returned = act(dossier, "return_result", desk_officer, returned_to="Nguyễn Văn An")
    handed = returned.events.order_by("-seq").first().data["result_file"]
    assert handed == {"name": "quyet-dinh.pdf", "sha256": digest}


def test_a_paper_result_is_marked_as_such(at_specialist, specialist, leader):
    dossier = act(at_leader(at_specialist, specialist), "approve", leader, paper_result=True)
    assert dossier.result_kind == "paper"
    assert not dossier.attachments.filter(kind=Attachment.Kind.RESULT).exists()


def test_a_result_is_a_file_or_paper_never_both(client, at_specialist, specialist, leader):
    """Both at once would silently become an electronic result: refused, nothing changed,
    and the page says why in Vietnamese."""
    dossier = at_leader(at_specialist, specialist)
    before = Dossier.objects.values().get(), DossierEvent.objects.count()
    with pytest.raises(ValidationError, match="không thể cả hai"):
        act(dossier, "approve", leader, result_file=incoming("qd.pdf", PDF), paper_result=True)
    client.force_login(leader)
    upload = io.BytesIO(PDF)
    upload.name = "quyet-dinh.pdf"
    response = client.post(
        reverse("dossiers:act", args=[dossier.code]),
        {"action": "approve", "version": dossier.version, "result_file": upload,
         "paper_result": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Kết quả là tệp PDF đính kèm hoặc bản giấy, không thể cả hai" in response.text
    assert (Dossier.objects.values().get(), DossierEvent.objects.count()) == before
    assert not Attachment.objects.filter(kind=Attachment.Kind.RESULT).exists()


def test_an_officers_decision_needs_a_result_too(desk, desk_officer):
    publish(
        procedure_record(
            "9.000011",
            processing_time="1",
            steps=[
                {"name": "Tiếp nhận, giải quyết", "role": "desk_officer", "budget_hours": "6"},
                {"name": "Trả kết quả", "role": "desk_officer", "budget_hours": "2"},
            ],
        )
    )
    dossier = receive(desk, Procedure.objects.get(code="9.000011").current_version)
    with pytest.raises(ValidationError, match="Đính kèm kết quả"):
        act(dossier, "result_ready", desk_officer)
    assert act(dossier, "result_ready", desk_officer, paper_result=True).result_kind == "paper"


def test_an_online_result_must_be_electronic(
    version, desk, desk_officer, specialist, leader, clock
):
    def ready(**result):
        dossier = receive(desk, version, result_delivery="online")
        dossier = act(act(dossier, "forward", desk_officer), "forward", specialist)
        return act(dossier, "approve", leader, **result)

    with pytest.raises(ValidationError, match="bản điện tử"):
        act(ready(paper_result=True), "return_result", desk_officer)
    done = act(ready(result_file=incoming("kq.pdf", PDF)), "return_result", desk_officer)
    assert done.status == Status.RETURNED


def test_approving_says_approved(client, at_specialist, specialist, leader):
    dossier = at_leader(at_specialist, specialist)
    client.force_login(leader)
    upload = io.BytesIO(PDF)
    upload.name = "quyet-dinh.pdf"
    response = client.post(
        reverse("dossiers:act", args=[dossier.code]),
        {"action": "approve", "version": dossier.version, "result_file": upload},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == ["Đã phê duyệt và ký kết quả; bộ phận một cửa sẽ trả kết quả cho người dân."]
    assert Dossier.objects.get().result_kind == "electronic"


# --- 4. extension (form 04), SPEC §6 ----------------------------------------------------------
# The dossier of ``at_specialist`` is due Thursday 12/11 10:00; its procedure takes 3 working
# days, so a new appointment may be as late as Tuesday 17/11 10:00.


def test_only_the_leader_issues_the_extension(at_specialist, specialist, unit_head, leader):
    for officer in (specialist, unit_head):
        with pytest.raises(PermissionDenied):
            act(at_specialist, "extend", officer, note="Xin lỗi", new_due_at=vn(2026, 11, 16, 10))
    dossier = act(at_specialist, "extend", leader, note="Xin lỗi", new_due_at=vn(2026, 11, 16, 10))
    assert dossier.due_at == vn(2026, 11, 16, 10) and dossier.original_due_at == vn(
        2026, 11, 12, 10
    )


def test_a_specialist_proposes_and_the_leader_confirms(client, at_specialist, specialist, leader):
    proposal = {"note": "Cần xác minh nơi cư trú cũ.", "new_due_at": vn(2026, 11, 16, 15)}
    dossier = act(at_specialist, "propose_extension", specialist, **proposal)
    assert dossier.due_at == vn(2026, 11, 12, 10) and dossier.extended_at is None
    client.force_login(leader)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).text
    assert "Đề xuất gia hạn" in page and "15:00 16/11/2026" in page
    assert 'value="2026-11-16T15:00"' in page and "Cần xác minh nơi cư trú cũ." in page
    client.post(
        reverse("dossiers:act", args=[dossier.code]),
        {"action": "extend", "version": dossier.version, "note": proposal["note"],
         "new_due_at": "2026-11-16T15:00"},
    )  # fmt: skip
    dossier = Dossier.objects.get()
    assert dossier.due_at == vn(2026, 11, 16, 15) and dossier.extended_at is not None
    paper = client.get(reverse("dossiers:paper", args=[dossier.code, "04"])).text
    assert "15 giờ 00 phút, ngày 16/11/2026" in paper and "Linh" in paper
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).text
    assert 'class="proposal"' not in page  # issued: nothing left to confirm


def unit_box(user) -> set[str]:
    return set(inbox_queryset(actor=as_actor(user), box="unit").values_list("code", flat=True))


def test_a_proposal_waits_in_the_leaders_inbox_until_issued(
    client, at_specialist, specialist, leader
):
    assert unit_box(leader) == set()  # at the specialist's step: not the leader's
    proposal = {"note": "Cần xác minh nơi cư trú cũ.", "new_due_at": vn(2026, 11, 16, 15)}
    dossier = act(at_specialist, "propose_extension", specialist, **proposal)
    assert dossier.extension_proposed_at == vn(2026, 11, 9, 10) and dossier.extension_pending
    assert unit_box(leader) == {dossier.code}
    client.force_login(leader)
    page = client.get(reverse("dossiers:inbox")).text
    assert dossier.code in page and "Đề xuất gia hạn chờ duyệt" in page
    items = client.get(
        "/api/v1/inbox?box=unit", HTTP_AUTHORIZATION=f"Bearer {_token(leader)}"
    ).json()["items"]
    assert [(i["code"], i["extension_proposed"]) for i in items] == [(dossier.code, True)]
    assert audit_verify() == []  # the column is under the row's state hash
    dossier = act(dossier, "extend", leader, **proposal)
    assert dossier.extension_proposed_at is None and unit_box(leader) == set()
    assert audit_verify() == []


def test_the_state_hash_covers_a_pending_proposal(at_specialist, specialist):
    act(at_specialist, "propose_extension", specialist, note="Xác minh",
        new_due_at=vn(2026, 11, 16, 15))  # fmt: skip
    Dossier.objects.update(extension_proposed_at=None)  # behind the services' back
    assert audit_verify() == [at_specialist.code]


def _token(user) -> str:
    from motcua.api.services import user_token_create

    return user_token_create(user=user, name="thử")[1]


def test_a_proposal_is_held_to_the_same_rules(at_specialist, specialist):
    with pytest.raises(ValidationError, match="giờ làm việc"):
        act(at_specialist, "propose_extension", specialist, note="x",
            new_due_at=vn(2026, 11, 14, 10))  # fmt: skip
    assert not DossierEvent.objects.filter(action="propose_extension").exists()


@pytest.mark.parametrize(
    "now, allowed",
    [
        (vn(2026, 11, 11, 10), True),  # exactly 1 working day before the due time
        (vn(2026, 11, 11, 10, 1), False),  # a minute less
        (vn(2026, 11, 12, 9), False),
    ],
)
def test_too_late_to_extend_with_less_than_a_working_day_left(
    at_specialist, leader, clock, now, allowed
):
    clock(now)
    if allowed:
        act(at_specialist, "extend", leader, note="Xin lỗi", new_due_at=vn(2026, 11, 16, 10))
        return
    with pytest.raises(ValidationError, match="chưa đến 1 ngày làm việc"):
        act(at_specialist, "extend", leader, note="Xin lỗi", new_due_at=vn(2026, 11, 16, 10))
    assert Dossier.objects.get().extended_at is None


def test_no_extension_after_the_due_time(at_specialist, leader, clock):
    clock(vn(2026, 11, 12, 10, 30))
    with pytest.raises(ValidationError, match="quá thời hạn giải quyết"):
        act(at_specialist, "extend", leader, note="Xin lỗi", new_due_at=vn(2026, 11, 16, 10))


@pytest.mark.parametrize(
    "new_due_at",
    [
        vn(2026, 11, 14, 10),  # a Saturday
        vn(2026, 11, 16, 12),  # lunch
        vn(2026, 11, 16, 17, 30),  # after closing
        vn(2026, 11, 16, 7),  # before opening
    ],
)
def test_the_new_appointment_is_a_working_time(at_specialist, leader, new_due_at):
    with pytest.raises(ValidationError, match="trong giờ làm việc"):
        act(at_specialist, "extend", leader, note="Xin lỗi", new_due_at=new_due_at)


def test_closing_time_is_a_working_time(at_specialist, leader):
    dossier = act(at_specialist, "extend", leader, note="x", new_due_at=vn(2026, 11, 16, 17))
    assert dossier.due_at == vn(2026, 11, 16, 17)


def test_the_new_appointment_is_later_than_the_current_one(at_specialist, leader):
    with pytest.raises(ValidationError, match="sau ngày hẹn hiện tại"):
        act(at_specialist, "extend", leader, note="x", new_due_at=vn(2026, 11, 12, 10))


def test_the_new_appointment_is_not_unreasonably_far(at_specialist, leader):
    with pytest.raises(ValidationError, match=r"quá xa.*10:00 17/11/2026"):
        act(at_specialist, "extend", leader, note="x", new_due_at=vn(2026, 11, 17, 10, 1))
    assert act(at_specialist, "extend", leader, note="x", new_due_at=vn(2026, 11, 17, 10)).due_at


def test_once_only_with_its_own_message(at_specialist, specialist, leader):
    dossier = act(at_specialist, "extend", leader, note="x", new_due_at=vn(2026, 11, 16, 10))
    for action, who in (("extend", leader), ("propose_extension", specialist)):
        with pytest.raises(TransitionRefused, match="đã được gia hạn một lần"):
            act(dossier, action, who, note="Lần hai", new_due_at=vn(2026, 11, 17, 10))
    assert Dossier.objects.get().due_at == vn(2026, 11, 16, 10)


def test_while_waiting_for_the_applicant_the_time_left_is_frozen(
    at_specialist, specialist, leader, clock
):
    clock(vn(2026, 11, 10, 10))  # two working days left when it stops
    dossier = act(at_specialist, "request_supplement", specialist, missing_documents=["CCCD"])
    clock(vn(2026, 11, 13, 10))  # past the due time on the wall clock, not on the dossier's
    extended = act(dossier, "extend", leader, note="x", new_due_at=vn(2026, 11, 16, 10))
    assert extended.due_at == vn(2026, 11, 16, 10)


# --- 5. a request to complete during processing (form 02) ----------------------------------


def test_a_request_to_complete_lists_what_is_missing(at_specialist, specialist):
    for missing in (None, [], ["  ", ""]):
        with pytest.raises(ValidationError, match="Liệt kê"):
            act(at_specialist, "request_supplement", specialist, missing_documents=missing)
    with pytest.raises(ValidationError, match="Tối đa"):
        act(at_specialist, "request_supplement", specialist, missing_documents=["x" * 501])
    assert Dossier.objects.get().status == Status.PROCESSING and not DeskNotice.objects.exists()


@pytest.mark.parametrize(
    "inputs",
    [
        {"missing_documents": ["Giấy\x00 chứng sinh"]},
        {"missing_documents": ["Giấy chứng sinh"], "note": "Lý do\x00"},
    ],
)
def test_nul_bytes_are_refused_alike_on_both_databases(at_specialist, specialist, inputs):
    with pytest.raises(ValidationError, match="NUL"):
        act(at_specialist, "request_supplement", specialist, **inputs)
    assert Dossier.objects.get().status == Status.PROCESSING and not DeskNotice.objects.exists()


def test_form_02_names_what_is_missing_and_the_contact_officer(
    client, at_specialist, specialist, desk_officer
):
    Membership.objects.filter(user=specialist).update(phone="0233 3880 123")
    dossier = act(
        at_specialist, "request_supplement", specialist,
        missing_documents=["Bản sao giấy chứng tử của vợ cũ", "Giấy xác nhận cư trú"],
        note="Cần chứng minh tình trạng hôn nhân trước đây.",
    )  # fmt: skip
    assert dossier.status == Status.WAITING_APPLICANT and dossier.supplement_count == 1
    notice = DeskNotice.objects.get(dossier=dossier)
    assert notice.officer == specialist and notice.contact_phone == "0233 3880 123"
    assert notice.items == ["Bản sao giấy chứng tử của vợ cũ", "Giấy xác nhận cư trú"]
    client.force_login(desk_officer)
    paper = client.get(reverse("dossiers:paper", args=[dossier.code, "02"])).text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in paper
    assert "<li>Bản sao giấy chứng tử của vợ cũ</li><li>Giấy xác nhận cư trú</li>" in paper
    assert "liên hệ Bob, điện thoại 0233 3880 123" in paper and dossier.code in paper
    assert "ngày 09/11/2026, cơ quan giải quyết đề nghị bổ sung" in paper  # the domain's day


def test_form_02_of_a_dossier_as_pdf(client, at_specialist, specialist, desk_officer):
    from pypdf import PdfReader

    dossier = act(at_specialist, "request_supplement", specialist,
                  missing_documents=["Giấy xác nhận cư trú"])  # fmt: skip
    client.force_login(desk_officer)
    pdf = client.get(reverse("dossiers:paper", args=[dossier.code, "02"]) + "?pdf=1").content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Giấy xác nhận cư trú" in text and "PHIẾU YÊU CẦU BỔ SUNG" in text


def test_the_citizens_look_up_shows_the_list_while_it_waits(
    client, at_specialist, specialist, desk_officer, clock
):
    dossier = act(at_specialist, "request_supplement", specialist,
                  missing_documents=["Giấy xác nhận cư trú", "Bản sao sổ hộ khẩu"])  # fmt: skip
    public = dossier_public_status(code=dossier.code, verify="5678")
    assert public["missing_documents"] == ["Giấy xác nhận cư trú", "Bản sao sổ hộ khẩu"]
    page = client.get(f"/tra-cuu/?code={dossier.code}&verify=5678").text
    assert "Giấy tờ cần bổ sung" in page and "<li>Bản sao sổ hộ khẩu</li>" in page
    answer = client.get(f"/api/v1/public/dossiers/{dossier.code}?verify=5678").json()
    assert answer["missing_documents"] == ["Giấy xác nhận cư trú", "Bản sao sổ hộ khẩu"]
    clock(vn(2026, 11, 11, 9))
    act(dossier, "supplement_received", desk_officer)
    assert dossier_public_status(code=dossier.code, verify="5678")["missing_documents"] == []


def test_a_second_request_needs_a_reason_and_is_flagged(
    at_specialist, specialist, desk_officer, clock
):
    dossier = act(at_specialist, "request_supplement", specialist, missing_documents=["CCCD"])
    assert not dossier.supplement_repeated
    clock(vn(2026, 11, 10, 9))
    dossier = act(dossier, "supplement_received", desk_officer)
    with pytest.raises(ValidationError, match="lần nữa phải ghi rõ lý do"):
        act(dossier, "request_supplement", specialist, missing_documents=["Giấy chứng sinh"])
    assert Dossier.objects.get().supplement_count == 1
    dossier = act(dossier, "request_supplement", specialist,
                  missing_documents=["Giấy chứng sinh"],
                  note="Giấy chứng sinh nộp bổ sung bị tẩy xóa.")  # fmt: skip
    assert dossier.supplement_count == 2 and dossier.supplement_repeated
    assert dossier.events.order_by("-seq").first().data["repeated"] is True
    assert DeskNotice.objects.filter(dossier=dossier).count() == 2


def test_the_first_form_02_stays_printable_as_issued_after_a_second_request(
    client, at_specialist, specialist, desk_officer, clock
):
    dossier = act(at_specialist, "request_supplement", specialist, missing_documents=["CCCD"])
    clock(vn(2026, 11, 10, 9))
    dossier = act(dossier, "supplement_received", desk_officer)
    clock(vn(2026, 11, 10, 10))
    dossier = act(dossier, "request_supplement", specialist,
                  missing_documents=["Giấy chứng sinh"],
                  note="Giấy chứng sinh bị tẩy xóa.")  # fmt: skip
    first = dossier.events.filter(action="request_supplement").order_by("seq").first()
    client.force_login(specialist)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).text
    assert f"?su_kien={first.seq}" in page and "số 1/PBS, 09/11/2026" in page
    url = reverse("dossiers:paper", args=[dossier.code, "02"])
    earlier = client.get(f"{url}?su_kien={first.seq}").text
    assert "Số: 1/PBS" in earlier and "<li>CCCD</li>" in earlier
    assert "Giấy chứng sinh" not in earlier
    latest = client.get(url).text
    assert "Số: 2/PBS" in latest and "<li>Giấy chứng sinh</li>" in latest
    assert client.get(f"{url}?su_kien=1").status_code == 404  # the receipt: not a form 02
    assert client.get(f"{url}?su_kien=x").status_code == 404
    answer = client.get(
        f"/api/v1/dossiers/{dossier.code}", HTTP_AUTHORIZATION=f"Bearer {_token(specialist)}"
    ).json()
    assert [(p["form"], p["number"], p["event"]) for p in answer["earlier_papers"]] == [
        ("02", "1/PBS", first.seq)
    ]
    pdf = client.get(
        f"/api/v1/dossiers/{dossier.code}/forms/02?event={first.seq}",
        HTTP_AUTHORIZATION=f"Bearer {_token(specialist)}",
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_refused_second_request_keeps_what_the_officer_typed(
    client, at_specialist, specialist, desk_officer, clock
):
    dossier = act(at_specialist, "request_supplement", specialist, missing_documents=["CCCD"])
    clock(vn(2026, 11, 10, 9))
    dossier = act(dossier, "supplement_received", desk_officer)
    client.force_login(specialist)
    typed = "Giấy chứng sinh bản chính\nSổ hộ khẩu <cũ>"
    answer = client.post(
        reverse("dossiers:act", args=[dossier.code]),
        {"action": "request_supplement", "version": dossier.version,
         "missing_documents": typed, "note": ""},
    )  # fmt: skip
    assert answer.status_code == 400
    page = answer.text
    form = page.split('class="action action-request_supplement"')[1].split("</form>")[0]
    assert "lần nữa phải ghi rõ lý do" in form
    assert ">Giấy chứng sinh bản chính\nSổ hộ khẩu &lt;cũ&gt;</textarea>" in form
    assert Dossier.objects.get().supplement_count == 1  # nothing done


def test_the_supplement_email_lists_what_is_missing_numbered(at_specialist, specialist):
    from motcua.notifications.models import Notification

    Dossier.objects.update(applicant_email="dan@example.vn")
    act(
        at_specialist, "request_supplement", specialist,
        missing_documents=["Bản sao giấy chứng tử của vợ cũ", "Giấy xác nhận cư trú"],
        note="Cần chứng minh tình trạng hôn nhân trước đây.",
    )  # fmt: skip
    email = Notification.objects.get(kind="supplement_requested", medium="email")
    assert "1. Bản sao giấy chứng tử của vợ cũ\n2. Giấy xác nhận cư trú" in email.body
    assert "Lý do: Cần chứng minh tình trạng hôn nhân trước đây." in email.body


def _first_action(page: str) -> str | None:
    """The class of the action form put first on a dossier's page, before the folded ones
    (None when every one is folded)."""
    before_fold = page.split('<details class="more-actions">')[0]
    found = re.findall(r'<form[^>]*class="action (action-[a-z_]+)', before_fold)
    return found[0] if found else None


def test_a_waiting_proposal_puts_the_leaders_confirmation_first(
    client, at_specialist, specialist, leader
):
    client.force_login(leader)
    url = reverse("dossiers:detail", args=[at_specialist.code])
    assert _first_action(client.get(url).text) != "action-extend"
    proposal = {"note": "Cần xác minh nơi cư trú cũ.", "new_due_at": vn(2026, 11, 16, 15)}
    act(at_specialist, "propose_extension", specialist, **proposal)
    assert _first_action(client.get(url).text) == "action-extend"


def test_a_step_nobody_holds_puts_giving_it_out_first(client, at_specialist, specialist):
    client.force_login(specialist)
    url = reverse("dossiers:detail", args=[at_specialist.code])
    assert _first_action(client.get(url).text) == "action-assign"  # claim it first
    act(at_specialist, "assign", specialist, assignee=specialist.username)
    assert _first_action(client.get(url).text) == "action-forward"
