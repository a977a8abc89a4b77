"""Generate many dossiers fast, for benchmarks (``make bench``) and load tests.

On PostgreSQL one INSERT … SELECT generate_series writes them in seconds; elsewhere they are
bulk-created in batches. They belong to the demo province's desks and procedures, mostly
returned, some open at each step, spread over two years. Their trace has one event each,
with no valid hash chain: never run this on a real database. The leaders' day tallies are
then counted from the dossiers (``recount_indicators --repair``'s work, ADR 0023).
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from motcua.agencies.models import Desk, Unit
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tallies import tallies_recount

STATUSES = ["returned"] * 16 + ["processing", "processing", "waiting_applicant", "result_ready"]


class Command(BaseCommand):
    help = "Sinh nhanh nhiều hồ sơ giả để đo hiệu năng (KHÔNG dùng trên dữ liệu thật)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--i-know-this-is-not-production", action="store_true")

    def handle(self, *args, **options):
        if not options["i_know_this_is_not_production"]:
            raise CommandError("Thêm --i-know-this-is-not-production để xác nhận.")
        places = []
        for desk in Desk.objects.filter(agency__units__isnull=False).distinct():
            unit = Unit.objects.filter(agency=desk.agency).order_by("pk").first()
            places.append((desk.pk, desk.agency_id, unit.pk if unit else None))
        versions = []
        for version in ProcedureVersion.objects.filter(status="published"):
            steps = list(version.steps.order_by("order").values_list("pk", flat=True))
            versions.append((version.pk, steps[1] if len(steps) > 1 else None))
        if not places or not versions:
            raise CommandError("Chạy load_demo trước.")
        started = time.perf_counter()
        count = options["count"]
        if connection.vendor == "postgresql":
            self._postgres(count, places, versions)
        else:
            self._bulk(count, places, versions)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Đã sinh {count:,} hồ sơ trong {seconds:.1f} s.")
        started = time.perf_counter()
        with transaction.atomic():  # written behind the services: counted into the tallies
            tallies_recount(repair=True)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Đã đếm vào bảng tổng hợp chỉ số trong {seconds:.1f} s.")

    def _postgres(self, count, places, versions):
        desks = ",".join(str(p[0]) for p in places)
        agencies = ",".join(str(p[1]) for p in places)
        units = ",".join(str(p[2] or "NULL") for p in places)
        version_ids = ",".join(str(v[0]) for v in versions)
        steps = ",".join(str(v[1] or "NULL") for v in versions)
        statuses = ",".join(f"'{s}'" for s in STATUSES)
        sql = f"""
        WITH g AS (
          SELECT n,
                 (ARRAY[{desks}])[(1 + n %% {len(places)})::int] AS desk,
                 (ARRAY[{agencies}])[(1 + n %% {len(places)})::int] AS agency,
                 (ARRAY[{units}]::bigint[])[(1 + n %% {len(places)})::int] AS unit,
                 (ARRAY[{version_ids}])[(1 + (n / 7) %% {len(versions)})::int] AS version,
                 (ARRAY[{steps}]::bigint[])[(1 + (n / 7) %% {len(versions)})::int] AS step,
                 (ARRAY[{statuses}])[(1 + (n * 7919) %% {len(STATUSES)})::int] AS status,
                 now() - make_interval(mins => ((n::bigint * 104729) %% 1051200)::int) AS received
          FROM generate_series(%s::bigint + 1, %s::bigint + %s) AS n
        )
        INSERT INTO dossiers_dossier (
          uid, state_hash, code, procedure_version_id, receiving_desk_id, receiving_agency_id,
          deciding_agency_id,
          channel, status, applicant_type, applicant_name, applicant_id_number, applicant_phone,
          applicant_email, applicant_address, authorised_name, authorised_id_number,
          result_delivery, delivery_address, sets_received, fee_amount, received_at, due_at,
          original_due_at, returned_at, supplement_count, current_step_id, "current_role",
          current_unit_id, step_started_at, step_due_at, extension_reason, returned_to,
          postal_tracking, closing_note, version)
        SELECT gen_random_uuid(), '',
          'G' || lpad(n::text, 9, '0') || '-' || to_char(received, 'YYMMDD'),
          version, desk, agency, agency, 1 + n %% 3, status, 1, 'Người dân ' || n,
          lpad((n * 37)::text, 12, '0'), '09' || lpad((n %% 100000000)::text, 8, '0'), '', '',
          '', '', 'desk', '', 1, 0, received, received + interval '3 days',
          received + interval '3 days',
          CASE WHEN status = 'returned' THEN received + interval '2 days' END, 0,
          CASE WHEN status IN ('processing', 'waiting_applicant') THEN step END,
          CASE WHEN status IN ('processing', 'waiting_applicant') THEN 'specialist'
               WHEN status = 'result_ready' THEN 'desk_officer' ELSE '' END,
          CASE WHEN status IN ('processing', 'waiting_applicant') THEN unit END,
          received, received + interval '1 day', '', '', '', '', 1
        FROM g;
        INSERT INTO dossiers_dossierevent (uid, format, dossier_id, seq, action, actor_name, at,
          status_before, status_after, unit_name, note, data, prev_hash, hash)
        SELECT gen_random_uuid(), 2, id, 1, 'receive', 'Bench', received_at, '', 'received', '',
          '', '{{}}',
          repeat('0', 64), md5(code) || md5(code)
        FROM dossiers_dossier WHERE code LIKE 'G%%' AND id > %s;
        """
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier")
            last_id = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM dossiers_dossier WHERE code LIKE 'G%%'")
            offset = cursor.fetchone()[0]
            cursor.execute(sql, [offset, offset, count, last_id])
        with connection.cursor() as cursor:  # outside the transaction: VACUUM cannot run inside
            cursor.execute("VACUUM ANALYZE dossiers_dossier")
            cursor.execute("VACUUM ANALYZE dossiers_dossierevent")

    def _bulk(self, count, places, versions):
        rng = random.Random(1)
        now = timezone.now()
        offset = Dossier.objects.filter(code__startswith="G").count()
        for start in range(0, count, 5000):
            rows = []
            for n in range(offset + start + 1, offset + min(count, start + 5000) + 1):
                desk, agency, unit = places[n % len(places)]
                version, step = versions[(n // 7) % len(versions)]
                status = STATUSES[(n * 7919) % len(STATUSES)]
                received = now - timedelta(minutes=rng.randrange(0, 1_051_200))
                open_step = status in ("processing", "waiting_applicant")
                rows.append(
                    Dossier(
                        code=f"G{n:09d}-{received:%y%m%d}",
                        procedure_version_id=version,
                        receiving_desk_id=desk,
                        receiving_agency_id=agency,
                        deciding_agency_id=agency,
                        channel=1 + n % 3,
                        status=status,
                        applicant_name=f"Người dân {n}",
                        applicant_id_number=f"{n * 37:012d}",
                        applicant_phone=f"09{n % 10**8:08d}",
                        received_at=received,
                        due_at=received + timedelta(days=3),
                        original_due_at=received + timedelta(days=3),
                        returned_at=received + timedelta(days=2) if status == "returned" else None,
                        current_step_id=step if open_step else None,
                        current_role="specialist"
                        if open_step
                        else ("desk_officer" if status == "result_ready" else ""),
                        current_unit_id=unit if open_step else None,
                        step_started_at=received,
                        step_due_at=received + timedelta(days=1),
                    )
                )
            with transaction.atomic():
                created = Dossier.objects.bulk_create(rows)
                DossierEvent.objects.bulk_create(
                    DossierEvent(
                        dossier_id=d.pk,
                        seq=1,
                        action="receive",
                        actor_name="Bench",
                        at=d.received_at,
                        status_after="received",
                        prev_hash="0" * 64,
                        hash="1" * 64,
                    )
                    for d in created
                )
