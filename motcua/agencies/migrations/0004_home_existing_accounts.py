"""Give existing accounts a home agency: the agency of their first membership. A superuser
without any membership is homed at the top of the tree; other accounts without a membership
stay without a home, so only superusers see them until someone assigns them."""

from django.conf import settings
from django.db import migrations


def home_existing_accounts(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Agency = apps.get_model("agencies", "Agency")
    Membership = apps.get_model("agencies", "Membership")
    AccountHome = apps.get_model("agencies", "AccountHome")
    homed = set(AccountHome.objects.values_list("user_id", flat=True))
    first_agency: dict[int, int] = {}
    for user_id, agency_id in Membership.objects.order_by("pk").values_list("user_id", "agency_id"):
        first_agency.setdefault(user_id, agency_id)
    top = Agency.objects.filter(parent__isnull=True).order_by("level__rank", "pk").first()
    homes = []
    for user_id, is_superuser in User.objects.values_list("pk", "is_superuser"):
        agency_id = first_agency.get(user_id) or (top.pk if is_superuser and top else None)
        if agency_id is not None and user_id not in homed:
            homes.append(AccountHome(user_id=user_id, agency_id=agency_id))
    AccountHome.objects.bulk_create(homes)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_account_home_and_event"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(home_existing_accounts, migrations.RunPython.noop)]
