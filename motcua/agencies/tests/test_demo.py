from django.core.management import call_command

from motcua.agencies.models import Agency, Membership, Role
from motcua.catalog.models import Field, Procedure, ProcedureVersion


def test_demo_province_is_complete_and_loading_it_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    assert "admin" in capsys.readouterr().out
    counts = (Agency.objects.count(), Membership.objects.count(), ProcedureVersion.objects.count())
    assert Procedure.objects.count() >= 40
    assert Field.objects.filter(versions__isnull=False).distinct().count() >= 8
    assert Agency.objects.filter(level__code="xa").count() >= 2
    assert Agency.objects.filter(level__code="huyen").exists()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    call_command("load_demo")
    assert "44 không đổi" in capsys.readouterr().out
    assert counts == (
        Agency.objects.count(),
        Membership.objects.count(),
        ProcedureVersion.objects.count(),
    )
