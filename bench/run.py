#!/usr/bin/env python3
"""Motcua benchmarks (``make bench``): figures go into the README, never into unit tests.

1. Due-time computations per second (pure arithmetic, standard calendar, 1–15 working days).
2. Catalog search latency on 5,000 generated procedures, through the selector and over HTTP
   (Django test client, full middleware stack), on a throw-away SQLite database.
"""

import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_DEBUG", "1")
_tmp = tempfile.mkdtemp(prefix="motcua-bench-")
os.environ.setdefault("MOTCUA_DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

N_PROCEDURES = 5000
QUERIES = [
    "dang ky khai sinh",
    "khai sinh",
    "đăng ký kết hôn",
    "chung thuc",
    "giay phep xay dung",
    "ho kinh doanh",
    "tro cap",
    "1.001193",
    "cap lai",
    "dat dai",
]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_due_times():
    from motcua.workcalendar.calendar import STANDARD_CALENDAR, VN_TZ, add_working_time

    rng = random.Random(1)
    base = datetime(2026, 1, 1, tzinfo=VN_TZ)
    starts = [base + timedelta(minutes=rng.randrange(0, 365 * 24 * 60)) for _ in range(20000)]
    days = [rng.choice([0.5, 1, 2, 3, 5, 7, 10, 15]) for _ in starts]
    add_working_time(starts[0], days=1)  # warm the holiday cache
    began = time.perf_counter()
    for start, d in zip(starts, days, strict=True):
        add_working_time(start, days=d, calendar=STANDARD_CALENDAR)
    elapsed = time.perf_counter() - began
    return len(starts) / elapsed


def generate_catalog():
    from motcua.catalog.services import catalog_import
    from motcua.demodata.catalog import catalog_records

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    templates = catalog_records()
    rng = random.Random(2)
    extra = []
    for i in range(N_PROCEDURES - len(templates)):
        record = dict(rng.choice(templates))
        record["code"] = f"9.{i:06d}"
        record["name"] = (
            f"{record['name']} ({rng.choice(['cấp tỉnh', 'cấp xã', 'lần đầu', 'cấp lại', 'điều chỉnh'])} {i})"  # noqa: E501
        )
        extra.append(record)
    began = time.perf_counter()
    for chunk in range(0, len(extra), 500):
        catalog_import(records=extra[chunk : chunk + 500])
    return time.perf_counter() - began


def bench_search():
    from motcua.catalog.selectors import procedure_search

    client = Client()
    selector, http = [], []
    for _ in range(5):
        for q in QUERIES:
            began = time.perf_counter()
            procedure_search(query=q, limit=20)
            selector.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            response = client.get("/thu-tuc/", {"q": q}, HTTP_HOST="127.0.0.1")
            http.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
    return selector, http


def main():
    print(
        f"Máy: {platform.processor() or platform.machine()}, {os.cpu_count()} lõi, "
        f"Python {platform.python_version()}, SQLite"
    )
    rate = bench_due_times()
    print(f"1. Tính hạn xử lý (add_working_time, lịch chuẩn): {rate:,.0f} phép tính/giây")
    seconds = generate_catalog()
    print(f"   (sinh {N_PROCEDURES:,} thủ tục qua catalog_import: {seconds:.1f} s)")
    selector, http = bench_search()
    print(f"2. Tìm thủ tục trên {N_PROCEDURES:,} thủ tục, {len(selector)} truy vấn:")
    for label, values in [("selector", selector), ("HTTP /thu-tuc/?q=", http)]:
        p50, p95 = statistics.median(values), percentile(values, 95)
        print(f"   {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
