"""The officers' daily digest: each officer with an e-mail address gets the dossiers due soon
and overdue at their posts, once a day however often the command runs."""

import io
from datetime import timedelta

from django.core.management import call_command

from motcua import clock as domain_clock
from motcua.dossiers.digest import digest_put
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import receive, vn
from motcua.notifications.models import Notification
from motcua.workcalendar.calendar import add_working_time


def test_each_officer_gets_their_due_soon_and_overdue_dossiers_once_a_day(
    version, desk, desk_officer, specialist, other_agency_officer, clock
):
    for user in (desk_officer, other_agency_officer):
        user.email = f"{user.username}@ubnd.example.vn"
        user.save()
    now = domain_clock.now()
    soon, late, later = (receive(desk, version) for _ in range(3))
    Dossier.objects.filter(pk=soon.pk).update(due_at=add_working_time(now, hours=4))
    Dossier.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=1))

    result = digest_put()
    assert (result.people, result.queued) == (1, 1)  # alice: bob has no address, charlie none due
    (digest,) = Notification.objects.filter(kind="digest")
    assert digest.kind == "digest" and digest.medium == "email"
    assert digest.recipient == "alice@ubnd.example.vn" and not digest.required
    assert digest.subject == "[23/11/2026] 1 hồ sơ quá hạn, 1 sắp đến hạn"
    overdue, due_soon = digest.body.split("Sắp đến hạn (1):")
    assert late.code in overdue and soon.code not in overdue
    assert soon.code in due_soon and late.code not in due_soon
    assert later.code not in digest.body  # not due yet
    assert "/can-bo/ho-so/?hop=overdue" in overdue and "/tu-choi/" in digest.body

    out = io.StringIO()
    call_command("send_digest", stdout=out)  # cron ran it twice: nothing more
    assert "1 người" in out.getvalue() and "0 thư mới" in out.getvalue()
    assert Notification.objects.filter(kind="digest").count() == 1

    clock(now + timedelta(days=2))  # the next working day (Tuesday 24/11 is a holiday)
    assert digest_put().queued == 1
    assert Notification.objects.filter(kind="digest").count() == 2


def test_no_digest_on_a_day_off_unless_asked(version, desk, desk_officer, clock):
    desk_officer.email = "alice@ubnd.example.vn"
    desk_officer.save()
    late = receive(desk, version)
    Dossier.objects.filter(pk=late.pk).update(due_at=domain_clock.now() - timedelta(hours=1))
    clock(vn(2026, 11, 29, 7))  # a Sunday
    out = io.StringIO()
    call_command("send_digest", stdout=out)
    assert "không phải ngày làm việc" in out.getvalue()
    assert not Notification.objects.filter(kind="digest").exists()
    call_command("send_digest", "--any-day", stdout=out)
    assert Notification.objects.filter(kind="digest").count() == 1
