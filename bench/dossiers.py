#!/usr/bin/env python3
"""Dossier benchmarks on PostgreSQL (``make bench`` runs this under scripts/with_postgres.py).

Each figure stands beside the ceiling measured in the same run:
- receiving: dossiers/s through ``dossier_receive`` and over HTTP (``POST /api/v1/dossiers``),
  beside the raw INSERT rate of the same two rows (dossier + event) with the same clients;
- with 1,000,000 generated dossiers: inbox and public look-up latency over HTTP, and the
  look-up rate beside a hello-world view (``/healthz``) on the same server;
- an officer's action (``forward``) through the staff API with a personal token beside the
  same action through the staff page (session and CSRF form), p50/p95 — the API's cost over
  the page's is its own parsing and answer, since both call ``dossier_apply``. The look-up runs
  with its limits and counter store as production has them (README): behind a trusted proxy
  (``X-Forwarded-For``, one client address per sampled dossier), per-address and per-dossier
  limits at their defaults, counters in the database.
The server is gunicorn (gthread) on 127.0.0.1; HTTP load comes from wrk, the service and
raw INSERT load and the actions (each on its own dossier) from threads of this script.

- the citizens' side at 1,000,000 dossiers (issue 10): submissions per second through the
  online form's endpoint (``POST /nop-truc-tuyen/{draft}/xem-lai/``, a logged-in citizen's
  session and CSRF, each on its own filled draft with two files) and the public status page
  (``GET /tra-cuu/?code=…&verify=…``, rendered, behind the proxy like the API's look-up), each
  beside hello-world in the same run.

``bench/dossiers.py --actions-only`` measures the actions alone, without the 1,000,000
dossiers (``BENCH_ACTIONS`` per path, default 400), to check this part quickly;
``--citizens-only`` measures the citizens' two rows alone, over ``BENCH_DOSSIERS`` generated
dossiers (``BENCH_SUBMISSIONS`` online submissions, default 400).
"""

import base64
import http.client
import io
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("MOTCUA_DATABASE_URL", "").startswith("postgres"):
    sys.exit("Chạy qua scripts/with_postgres.py (cần PostgreSQL).")
ACTIONS_ONLY = "--actions-only" in sys.argv[1:]
CITIZENS_ONLY = "--citizens-only" in sys.argv[1:]
if not ACTIONS_ONLY and not os.path.exists("/usr/bin/wrk"):
    sys.exit("Cần wrk (gói Debian wrk): make bench tự cài khi chạy với quyền root.")
SERVER_ENV = {
    "MOTCUA_DEBUG": "0",
    "MOTCUA_SECRET_KEY": "bench-" + uuid.uuid4().hex,
    "MOTCUA_ALLOWED_HOSTS": "127.0.0.1",
    "MOTCUA_HTTPS": "0",
    # As in production (README): behind nginx on this machine, the limits and their counters
    # as configured by default (30 look-ups per address a minute, 10 wrong values per dossier
    # an hour, counted in the database's UNLOGGED table); each look-up line is one client.
    "MOTCUA_TRUSTED_PROXIES": "127.0.0.1",
    "MOTCUA_LOG_LEVEL": "WARNING",
    "MOTCUA_SMS_CHANNEL": "file",
    "MOTCUA_EMAIL_CHANNEL": "file",
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from motcua.dossiers.tests.factories import pdf_bytes  # noqa: E402

CLIENTS = 8
AGENCY = "000.01.31.H50"
DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "400"))
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "400"))
WARM_UP = 32  # untimed actions first, so every server process has loaded both paths
PDF = pdf_bytes()  # a real one-page PDF: receipts parse every PDF they store


def run_threads(n_threads, work):
    """Run ``work(i)`` in n threads; return the elapsed seconds. A failure fails the bench."""
    failures = []

    def guarded(i):
        try:
            work(i)
        except Exception as exc:  # re-raised below, in the main thread
            failures.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(n_threads)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return time.perf_counter() - started


# --- receiving ---------------------------------------------------------------------------


def model_row(instance) -> tuple[str, list[str], list]:
    """The table, columns and database values of ``instance`` as Django would insert it
    (every concrete column but the primary key and generated ones): built from the model, so
    the raw INSERT follows the schema instead of a hand-kept list of columns."""
    meta = type(instance)._meta
    columns, values = [], []
    for field in meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False):
            continue
        value = field.pre_save(instance, add=True)
        columns.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return meta.db_table, columns, values


def insert_sql(table: str, columns: list[str], returning: bool = False) -> str:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    params = ", ".join(["%s"] * len(columns))
    tail = " RETURNING id" if returning else ""
    return f"INSERT INTO {table} ({quoted}) VALUES ({params}){tail}"


def raw_insert_rate(total: int) -> float:
    """The same two rows a receipt writes (dossier, event), in one bare transaction each."""
    import psycopg
    from django.utils import timezone

    from motcua.agencies.models import Desk
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Channel, Dossier, DossierEvent, Status

    url = os.environ["MOTCUA_DATABASE_URL"]
    desk = Desk.objects.select_related("agency").get(agency__code=AGENCY)
    now = timezone.now()
    dossier = Dossier(
        code="RAW", procedure_version_id=Procedure.objects.get(code="1.004873").current_version_id,
        receiving_desk=desk, receiving_agency=desk.agency, deciding_agency=desk.agency,
        channel=Channel.DESK, status=Status.RECEIVED, current_role="desk_officer",
        applicant_name="Raw", applicant_id_number="079123456789", applicant_phone="0912345678",
        received_at=now, due_at=now, original_due_at=now, state_hash="0" * 64,
    )  # fmt: skip
    event = DossierEvent(
        dossier_id=0, seq=1, action="receive", actor_name="Raw", at=now,
        status_after="received", prev_hash="0" * 64, hash="1" * 64,
    )  # fmt: skip
    d_table, d_columns, d_values = model_row(dossier)
    e_table, e_columns, e_values = model_row(event)
    d_sql = insert_sql(d_table, d_columns, returning=True)
    e_sql = insert_sql(e_table, e_columns)
    d_code, d_uid = d_columns.index("code"), d_columns.index("uid")
    e_dossier, e_uid = e_columns.index("dossier_id"), e_columns.index("uid")
    per = total // CLIENTS

    def work(i):
        with psycopg.connect(url) as conn:
            for n in range(per):
                d_row, e_row = list(d_values), list(e_values)
                d_row[d_code], d_row[d_uid] = f"RAW-{i}-{n}", uuid.uuid4()
                with conn.transaction():
                    (e_row[e_dossier],) = conn.execute(d_sql, d_row).fetchone()
                    e_row[e_uid] = uuid.uuid4()
                    conn.execute(e_sql, e_row)

    return per * CLIENTS / run_threads(CLIENTS, work)


def service_rate(total: int) -> float:
    from motcua.agencies.models import Desk
    from motcua.catalog.models import Procedure
    from motcua.dossiers.access import SYSTEM
    from motcua.dossiers.services import Applicant, IncomingFile, Receipt, dossier_receive

    desk = Desk.objects.select_related("agency").get(agency__code=AGENCY)
    version = Procedure.objects.get(code="1.004873").current_version
    per = total // CLIENTS

    def work(i):
        for _ in range(per):
            dossier_receive(
                desk=desk,
                procedure_version=version,
                actor=SYSTEM,
                receipt=Receipt(
                    applicant=Applicant(
                        name="Dịch vụ", id_number="079123456789", phone="0912345678"
                    ),
                    files=[IncomingFile("a.pdf", PDF)],
                ),
            )
        connections.close_all()

    return per * CLIENTS / run_threads(CLIENTS, work)


# --- the HTTP server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "motcua.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "4",
            "-k",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn không khởi động được")


WRK = "/usr/bin/wrk"


def wrk_load(port, seconds, mode, lines, headers=(), clients=CLIENTS, threads=2):
    """Load from wrk (a C load generator, so the client takes little of the 2 cores):
    returns (requests/s, p50 ms, p95 ms, errors)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(lines)
    command = [
        WRK,
        "-t",
        str(threads),
        "-c",
        str(clients),
        "-d",
        f"{seconds}s",
        "-s",
        str(ROOT / "bench" / "wrk.lua"),
    ]
    for header in headers:
        command += ["-H", header]
    command += [f"http://127.0.0.1:{port}/api/v1/dossiers", "--", mode, f.name,
                uuid.uuid4().hex[:8]]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    result = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, micros, errors, p50, p95, _ = result.split()[1:]
    return int(requests) / (int(micros) / 1e6), float(p50), float(p95), int(errors)


# --- an officer's action: the staff API beside the staff page -----------------------------


def action_latencies(port: int, per_path: int, clients: int = 2) -> dict[str, tuple]:
    """``forward`` by Khe Sanh's desk officer, each call on its own freshly received dossier,
    through ``POST /api/v1/dossiers/{code}/actions`` (personal token) and through the page's
    form ``POST /can-bo/ho-so/{code}/thao-tac/`` (session, CSRF); ``clients`` at a time.
    Returns per path (p50 ms, p95 ms, calls/s); every call must have moved its dossier."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from motcua.agencies.models import Desk
    from motcua.api.services import user_token_create
    from motcua.catalog.models import Procedure
    from motcua.dossiers.access import actor_for_user
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import Applicant, Receipt, dossier_receive

    officer = get_user_model().objects.get(username="motcua.khesanh")
    desk = Desk.objects.select_related("agency").get(agency__code=AGENCY)
    version = Procedure.objects.get(code="1.004873").current_version
    actor = actor_for_user(officer)
    applicant = Applicant(name="Thao tác", id_number="079123456789", phone="0912345678")

    def fresh_codes(n):
        return [
            dossier_receive(desk=desk, procedure_version=version, actor=actor,
                            receipt=Receipt(applicant=applicant)).code
            for _ in range(n)
        ]  # fmt: skip

    token = user_token_create(user=officer, name="bench")[1]
    client = Client()
    client.force_login(officer)
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and field
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
    paths = {
        "API": lambda code: (
            f"/api/v1/dossiers/{code}/actions",
            json.dumps({"action": "forward", "version": 1}),
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            200,
        ),
        "page": lambda code: (
            f"/can-bo/ho-so/{code}/thao-tac/",
            f"csrfmiddlewaretoken={csrf}&action=forward&version=1&note=",
            {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            302,
        ),
    }

    def send(name, codes, timings):
        """Each code's action, ``clients`` at a time; the time of each call in ``timings``."""
        request_for = paths[name]

        def work(i):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for code in codes[i::clients]:
                url, body, headers, expected = request_for(code)
                started = time.perf_counter()
                conn.request("POST", url, body=body.encode(), headers=headers)
                response = conn.getresponse()
                response.read()
                timings.append(time.perf_counter() - started)
                assert response.status == expected, (name, response.status)
            conn.close()

        return run_threads(clients, work)

    results = {}
    for name in paths:
        warm_up, codes = fresh_codes(WARM_UP), fresh_codes(per_path)
        send(name, warm_up, [])  # every server process has served this path before timing
        timings = []
        elapsed = send(name, codes, timings)
        moved = Dossier.objects.filter(code__in=codes, version=2, status="processing").count()
        assert moved == len(codes), f"{name}: {len(codes) - moved} hồ sơ không được chuyển"
        cuts = statistics.quantiles(timings, n=20)
        results[name] = (statistics.median(timings) * 1000, cuts[18] * 1000, len(codes) / elapsed)
        connections.close_all()
    return results


def action_rows(results: dict[str, tuple]) -> list[tuple]:
    (api_p50, api_p95, api_rate), (page_p50, page_p95, page_rate) = (
        results["API"], results["page"]
    )  # fmt: skip
    return [
        (
            "Thao tác “chuyển bước” qua API cán bộ POST /api/v1/dossiers/{code}/actions, 2 khách",
            f"p50 {api_p50:.1f} ms, p95 {api_p95:.1f} ms ({api_rate:,.0f}/s)",
            f"cùng thao tác qua trang: p50 {page_p50:.1f} ms, p95 {page_p95:.1f} ms "
            f"({page_rate:,.0f}/s)",
            f"p50 {api_p50 / page_p50:.0%} của trang",
        )
    ]


def write_results(results):
    lines = ["| đo | kết quả | trần đo cùng lượt | tỉ lệ |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in results]
    print("\n".join(lines))
    out = ROOT / "var" / "bench-dossiers.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def actions_only():
    """The actions alone, on the demo data: a quick check of this part of the bench."""
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    port = free_port()
    server = start_server(port)
    try:
        write_results(action_rows(action_latencies(port, ACTIONS)))
    finally:
        server.terminate()
        server.wait(10)


# --- the citizens' side: the online form's endpoint and the public status page -------------


def online_submission_rate(port: int, total: int, clients: int = 2) -> tuple[float, float, float]:
    """The demo citizen submits ``total`` drafts of 1.004873 to Khe Sanh (each filled through
    the services beforehand: applicant, two files, online result) by the review page's form
    ``POST /nop-truc-tuyen/{draft}/xem-lai/`` (session, CSRF), ``clients`` at a time.
    Returns (submissions/s, p50 ms, p95 ms); every post must have made its dossier."""
    from django.test import Client
    from django.urls import reverse

    from motcua.agencies.models import Agency
    from motcua.catalog.models import Procedure
    from motcua.citizens.models import CitizenProfile
    from motcua.dossiers.files import IncomingFile
    from motcua.dossiers.services import Applicant
    from motcua.submissions.models import Draft
    from motcua.submissions.services import (
        draft_applicant_save,
        draft_delivery_save,
        draft_files_put,
        draft_start,
    )

    user = CitizenProfile.objects.get(phone="0912345678").user
    version = Procedure.objects.get(code="1.004873").current_version
    agency = Agency.objects.get(code=AGENCY)
    applicant = Applicant(name="Nộp trực tuyến", id_number="045090001234", phone="0912345678")
    documents = [d.pk for d in version.documents.order_by("order", "pk")][:2]

    def filled(n):
        uids = []
        for _ in range(n):
            draft = draft_start(user=user, version=version, agency=agency)
            draft_applicant_save(draft=draft, applicant=applicant)
            uploads = {pk: IncomingFile(f"giay-to-{i}.pdf", PDF) for i, pk in enumerate(documents)}
            draft_files_put(draft=draft, uploads=uploads)
            draft_delivery_save(draft=draft, result_delivery="online", delivery_address="")
            uids.append(draft.uid)
        return uids

    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)
    headers = {
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    body = f"csrfmiddlewaretoken={csrf}".encode()

    def send(uids, timings):
        def work(i):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for uid in uids[i::clients]:
                started = time.perf_counter()
                conn.request(
                    "POST", reverse("portal:draft_review", args=[uid]), body=body, headers=headers
                )
                response = conn.getresponse()
                response.read()
                timings.append(time.perf_counter() - started)
                assert response.status == 302, ("nộp trực tuyến", response.status)
            conn.close()

        return run_threads(clients, work)

    send(filled(WARM_UP), [])  # every server process has served the form before timing
    uids = filled(total)
    timings = []
    elapsed = send(uids, timings)
    made = Draft.objects.filter(uid__in=uids, dossier__isnull=False).count()
    assert made == len(uids), f"{len(uids) - made} hồ sơ nháp không thành hồ sơ"
    connections.close_all()
    cuts = statistics.quantiles(timings, n=20)
    return len(uids) / elapsed, statistics.median(timings) * 1000, cuts[18] * 1000


def citizen_rows(port: int, samples: list[tuple[str, str]], submissions: int) -> list[tuple]:
    """The two rows of the citizens' side, each beside hello-world measured just before it."""
    rows = []
    hello, _, hello_p95, _ = wrk_load(port, 5, "get", "/healthz\n")
    rate, p50, p95 = online_submission_rate(port, submissions)
    rows.append((
        "Nộp trực tuyến qua biểu mẫu POST /nop-truc-tuyen/{nháp}/xem-lai/ (2 tệp), 2 khách "
        "(hồ sơ/s)",
        f"{rate:,.0f}; p50 {p50:.0f} ms, p95 {p95:.0f} ms",
        f"hello-world /healthz: {hello:,.0f}/s (p95 {hello_p95:.1f} ms)",
        f"{rate / hello:.0%} của hello-world",
    ))  # fmt: skip
    # The page as the public opens it, one client address per line behind the proxy.
    lines = [(samples[i % len(samples)], i) for i in range(max(5000, len(samples)))]
    paths = "".join(
        f"/tra-cuu/?{urlencode({'code': c, 'verify': v})}\t198.19.{i // 250}.{i % 250 + 1}\n"
        for (c, v), i in lines
    )
    hello, _, hello_p95, _ = wrk_load(port, 5, "get", "/healthz\n")
    page, page_p50, page_p95, errors = wrk_load(port, 8, "get", paths)
    assert not errors, f"{errors} lỗi ở trang tra cứu (429: quá giới hạn mỗi địa chỉ?)"
    rows.append((
        "Trang tra cứu công khai /tra-cuu/?code=…&verify=… qua proxy, có giới hạn (req/s)",
        f"{page:,.0f}; p50 {page_p50:.1f} ms, p95 {page_p95:.1f} ms",
        f"hello-world /healthz: {hello:,.0f}/s (p95 {hello_p95:.1f} ms)",
        f"{page / hello:.0%} của hello-world",
    ))  # fmt: skip
    return rows


def lookup_samples(n: int = 5000) -> list[tuple[str, str]]:
    """Codes of generated dossiers and their verification values, in random order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, right(applicant_phone, 4) FROM dossiers_dossier "
            "WHERE code LIKE 'G%%' ORDER BY random() LIMIT %s",
            [n],
        )
        return cursor.fetchall()


def citizens_only():
    """The citizens' two rows alone, over ``BENCH_DOSSIERS`` generated dossiers (a quick
    check of this part at a small size)."""
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    call_command("generate_dossiers", count=DOSSIERS, i_know_this_is_not_production=True,
                 stdout=io.StringIO())  # fmt: skip
    port = free_port()
    server = start_server(port)
    try:
        write_results(citizen_rows(port, lookup_samples(), SUBMISSIONS))
    finally:
        server.terminate()
        server.wait(10)


def search_paths(user, samples: int = 300) -> str:
    """Searches in ``user``'s unit box as officers type them: a name without diacritics,
    the last 4 digits of an ID number, a piece of a code, and one common word in four."""
    from motcua.dossiers.access import actor_for_user
    from motcua.dossiers.search import name_key
    from motcua.dossiers.selectors import inbox_queryset

    box = inbox_queryset(actor=actor_for_user(user), box="unit").order_by("?")
    queries = []
    for code, name, id_number in box.values_list("code", "applicant_name", "applicant_id_number")[
        :samples
    ]:
        queries += [name_key(name).strip(), id_number[-4:], code[3:10].lower(), "nguoi dan"]
    return "".join(f"/can-bo/ho-so/?{urlencode({'hop': 'unit', 'q': q})}\n" for q in queries)


def inbox_search_row(port, cookie, user) -> tuple[str, str, str, str]:
    _, p50, p95, errors = wrk_load(port, 8, "get", search_paths(user), headers=[cookie], clients=2)
    assert not errors, f"{errors} lỗi khi tìm trong hộp hồ sơ"
    return (
        "Tìm trong hộp hồ sơ đó qua HTTP (tên không dấu, 4 số cuối định danh, một phần mã; "
        "một lượt trong bốn là từ phổ biến), 2 người dùng",
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms", "mục tiêu p95 < 100 ms", "",
    )  # fmt: skip


def main():
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    from motcua.agencies.models import Agency
    from motcua.api.models import ApiKey

    _, api_key = ApiKey.issue(name="bench", agency=Agency.objects.get(code=AGENCY))
    results = []
    print(
        f"Máy: {platform.machine()}, {os.cpu_count()} lõi; PostgreSQL "
        f"{connection.cursor().connection.info.server_version}; {CLIENTS} luồng khách"
    )

    raw = raw_insert_rate(4000)
    service = service_rate(1600)
    results.append(
        (
            "Tiếp nhận qua service (dossiers/s)",
            f"{service:,.0f}",
            f"raw INSERT cùng 2 dòng: {raw:,.0f}/s",
            f"{service / raw:.0%}",
        )
    )

    port = free_port()
    server = start_server(port)
    try:
        hello, _, _, _ = wrk_load(port, 5, "get", "/healthz\n")
        body = json.dumps({
            "procedure": "1.004873", "agency": AGENCY, "channel": 1,
            "applicant": {"name": "Qua API", "id_number": "079123456789", "phone": "0912345678"},
            "documents": [{"name": "Tờ khai", "filename": "a.pdf",
                           "content_base64": base64.b64encode(PDF).decode()}],
        })  # fmt: skip
        over_http, _, http_p95, errors = wrk_load(
            port, 10, "post", body,
            headers=[f"Authorization: Bearer {api_key}", "Content-Type: application/json"],
        )  # fmt: skip
        assert not errors, f"{errors} lỗi khi gửi hồ sơ"
        results.append((
            "Tiếp nhận qua HTTP POST /api/v1/dossiers (dossiers/s)",
            f"{over_http:,.0f} (p95 {http_p95:.0f} ms)",
            f"raw INSERT: {raw:,.0f}/s; hello-world: {hello:,.0f}/s",
            f"{over_http / raw:.0%} của raw INSERT",
        ))  # fmt: skip

        started = time.perf_counter()
        call_command("generate_dossiers", count=DOSSIERS, i_know_this_is_not_production=True,
                     stdout=io.StringIO())  # fmt: skip
        generated = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM dossiers_dossier")
            n_dossiers = cursor.fetchone()[0]
            cursor.execute(
                "SELECT code, right(applicant_phone, 4) FROM dossiers_dossier "
                "WHERE code LIKE 'G%%' ORDER BY random() LIMIT 5000"
            )
            samples = cursor.fetchall()
        print(f"Đã sinh {DOSSIERS:,} hồ sơ trong {generated:.0f} s; tổng {n_dossiers:,}.")

        # The inbox of the specialist whose unit holds the most open dossiers.
        from django.contrib.auth import get_user_model
        from django.test import Client

        from motcua.dossiers.access import actor_for_user
        from motcua.dossiers.selectors import inbox_queryset

        specialist = get_user_model().objects.get(username="tuphap.khesanh")
        open_in_unit = inbox_queryset(actor=actor_for_user(specialist), box="unit").count()
        client = Client()
        client.force_login(specialist)
        cookie = f"Cookie: sessionid={client.cookies['sessionid'].value}"
        _, inbox_p50, inbox_p95, errors = wrk_load(
            port, 8, "get", "/can-bo/ho-so/?hop=unit\n", headers=[cookie], clients=2
        )
        assert not errors, f"{errors} lỗi ở hộp hồ sơ"
        results.append((
            f"Hộp hồ sơ của đơn vị ({open_in_unit:,} hồ sơ đang chờ) qua HTTP, 2 người dùng",
            f"p50 {inbox_p50:.0f} ms, p95 {inbox_p95:.0f} ms", "mục tiêu p95 < 100 ms", "",
        ))  # fmt: skip
        results.append(inbox_search_row(port, cookie, specialist))

        # Each line from its own client address behind the proxy, as the public would come;
        # at least 5,000 addresses, so none nears its 30 look-ups a minute.
        lines = [(samples[i % len(samples)], i) for i in range(max(5000, len(samples)))]
        paths = "".join(
            f"/api/v1/public/dossiers/{c}?verify={v}\t198.18.{i // 250}.{i % 250 + 1}\n"
            for (c, v), i in lines
        )
        hello2, _, hello2_p95, _ = wrk_load(port, 5, "get", "/healthz\n")
        lookup, lookup_p50, lookup_p95, errors = wrk_load(port, 8, "get", paths)
        assert not errors, f"{errors} lỗi khi tra cứu (429: quá giới hạn mỗi địa chỉ?)"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM ratelimit_counter WHERE name LIKE %s", ["lookup:addr:%"]
            )
            counted = cursor.fetchone()[0]
        assert counted >= min(len(samples), 100), "giới hạn tra cứu không được đếm"
        results.append((
            "Tra cứu công khai /api/v1/public/dossiers/{code} qua proxy, có giới hạn (req/s)",
            f"{lookup:,.0f}; p50 {lookup_p50:.1f} ms, p95 {lookup_p95:.1f} ms",
            f"hello-world /healthz: {hello2:,.0f}/s (p95 {hello2_p95:.1f} ms)",
            f"{lookup / hello2:.0%} của hello-world",
        ))  # fmt: skip

        # With the 1,000,000 dossiers in place: each action finds its dossier among them.
        results += action_rows(action_latencies(port, ACTIONS))
        # The citizens' side with the 1,000,000 dossiers in place.
        results += citizen_rows(port, samples, SUBMISSIONS)
    finally:
        server.terminate()
        server.wait(10)
    write_results(results)


if __name__ == "__main__":
    if ACTIONS_ONLY:
        actions_only()
    elif CITIZENS_ONLY:
        citizens_only()
    else:
        main()
