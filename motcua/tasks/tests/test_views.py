"""The task pages drive the services: a leader assigns, a unit reports, asks for time, the
leader decides; bad input comes back at its field in Vietnamese and changes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import _staff
from motcua.agencies.models import Role
from motcua.dossiers.tests.factories import PDF, PNG
from motcua.notifications.models import Notification
from motcua.tasks.models import Task, TaskExtension, TaskFile
from motcua.tasks.tests.factories import assign, key, vn


def test_a_leader_assigns_through_the_page(client, people, tu_phap, dia_chinh):
    client.force_login(people["linh"])
    page = client.get(reverse("tasks:assign")).content.decode()
    assert "Tư pháp" in page and "Địa chính - Xây dựng" in page
    response = client.post(
        reverse("tasks:assign"),
        {
            "agency": tu_phap.agency.code,
            "title": "Kiểm tra việc niêm yết thủ tục hành chính",
            "source_document": "Thông báo số 45/TB-UBND ngày 20/11/2026",
            "content": "Rà soát toàn bộ thủ tục lĩnh vực hộ tịch.",
            "working_days": "2,5",
            "lead": key(tu_phap),
            "coordinating": [key(dia_chinh)],
            "files": [SimpleUploadedFile("thong-bao.pdf", PDF, "application/pdf")],
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{task.ref}/")
    assert task.due_at == vn(2026, 11, 26, 14, 30)  # 20 working hours, the holiday skipped
    assert task.source_document.startswith("Thông báo số 45")
    assert [a.key for a in task.assignees.all()] == [key(tu_phap), key(dia_chinh)]
    assert TaskFile.objects.get().original_name == "thong-bao.pdf"
    assert Notification.objects.filter(kind="task_assigned").count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "Kiểm tra việc niêm yết" in page and "14:30 26/11/2026" in page


def test_bad_input_comes_back_at_its_field(client, people, tu_phap):
    client.force_login(people["linh"])
    response = client.post(
        reverse("tasks:assign"),
        {"title": "Việc", "working_days": "0", "lead": key(tu_phap)},
    )
    assert response.status_code == 200
    assert "Số ngày làm việc phải lớn hơn 0" in response.content.decode()
    response = client.post(
        reverse("tasks:assign"),
        {
            "title": "Việc",
            "working_days": "3",
            "lead": key(tu_phap),
            "files": [SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")],
        },
    )
    assert "x.pdf" in response.content.decode()
    assert not Task.objects.exists()


def test_a_leader_of_two_agencies_picks_where_to_assign(client, people, province, tu_phap):
    linh = people["linh"]
    from motcua.agencies.models import Membership

    Membership.objects.create(user=linh, agency=province, role=Role.AGENCY_LEADER)
    client.force_login(linh)
    page = client.get(reverse("tasks:assign") + f"?co_quan={province.code}").content.decode()
    assert "UBND xã An Bình" in page  # the commune is an agency below the province
    assert "Tư pháp" not in page  # a unit of the commune is not the province's


def test_a_unit_reports_and_the_leader_sees_it(client, people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    client.force_login(people["bob"])
    url = reverse("tasks:report", args=[task.ref])
    missing = client.post(url, {"note": "Đã rà soát"})
    assert missing.status_code == 200 and "report-percent" in missing.content.decode()
    response = client.post(
        url,
        {
            "percent": "60",
            "note": "Đã rà soát 12/20 thủ tục",
            "files": [SimpleUploadedFile("anh.png", PNG, "image/png")],
        },
    )
    assert response.status_code == 302
    client.force_login(people["linh"])
    page = client.get(reverse("tasks:detail", args=[task.ref])).content.decode()
    assert "60%" in page and "Đã rà soát 12/20 thủ tục" in page and "anh.png" in page
    board = client.get(reverse("tasks:board", args=[tu_phap.agency.code, "linh"]))
    assert 'value="60"' in board.content.decode()
    download = client.get(reverse("tasks:attachment", args=[task.ref, TaskFile.objects.get().pk]))
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'attachment; filename="anh.png"' in download["Content-Disposition"]


def test_a_coordinating_unit_cannot_report_the_task_done(client, people, tu_phap, dia_chinh):
    task = assign(people["linh"], lead=tu_phap, coordinating=[dia_chinh])
    client.force_login(people["son"])
    response = client.post(
        reverse("tasks:complete", args=[task.ref]), {"note": "Xong"}, follow=True
    )
    assert "không có quyền" in response.content.decode()
    assert Task.objects.get().is_open


def test_extension_asked_and_granted_through_the_pages(client, people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    client.force_login(people["bob"])
    url = reverse("tasks:extension_request", args=[task.ref])
    assert "Nêu lý do" in client.post(url, {"days": "2"}).content.decode()
    assert client.post(url, {"days": "2", "reason": "Chờ ý kiến Sở"}).status_code == 302
    extension = TaskExtension.objects.get()
    client.force_login(people["linh"])
    page = client.get(reverse("tasks:detail", args=[task.ref])).content.decode()
    assert "Quyết định gia hạn" in page and "Chờ ý kiến Sở" in page
    decide = reverse("tasks:extension_decide", args=[task.ref, extension.pk])
    refused = client.post(decide, {"decision": "refuse"})
    assert "Nêu lý do không đồng ý" in refused.content.decode()
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    task.refresh_from_db()
    assert task.due_at == extension.proposed_due_at


def test_a_leader_assigns_only_in_her_own_agency(client, other_commune, tu_phap):
    outsider = _staff("lan", other_commune, Role.AGENCY_LEADER)
    client.force_login(outsider)
    page = client.get(reverse("tasks:assign") + f"?co_quan={tu_phap.agency.code}")
    assert other_commune.name in page.content.decode()  # her own, whatever was asked
    response = client.post(
        reverse("tasks:assign"),
        {"agency": tu_phap.agency.code, "title": "Việc", "working_days": "3",
         "lead": key(tu_phap)},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Task.objects.exists()


def test_an_officer_reads_the_task_pages_in_english(client, people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    client.force_login(people["linh"])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("tasks:detail", args=[task.ref])).content.decode()
    assert "Assigned units" in page and "Lead" in page and "History" in page
    board = client.get(reverse("tasks:board", args=[tu_phap.agency.code, "linh"]))
    assert "Tasks by lead unit" in board.content.decode()
    assert "In progress, on time" in board.content.decode()
    menu = client.get(reverse("tasks:index")).content.decode()
    assert ">Tasks</a>" in menu  # the menu's entry, from this app's catalogue
