# Motcua: `make run` serves the demo, `make test` runs everything CI runs.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export MOTCUA_DEBUG ?= 1

E2E_NODE := tests/e2e/node_modules/.installed
.PHONY: run test lint unit postgres-tests e2e bench mutation install messages clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

# The server and the outbox worker together (the worker stops with the server); QR codes and
# message links point at this port. runserver also serves the display boards' event stream
# (read from the table under WSGI); production puts it on uvicorn (README).
run: export MOTCUA_PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "Motcua đang chạy tại http://127.0.0.1:$(PORT)/  (quản trị: /quan-tri/, API: /api/v1/docs)"
	@echo "Tin nhắn (SMS, thư) gửi cho người dân được ghi vào var/outbox/messages.jsonl."
	@$(PY) manage.py send_notifications --loop & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	@! git grep -nE '^(<<<<<<<|>>>>>>>) ' -- . ':!*.po' || (echo "Còn dấu xung đột gộp nhánh."; exit 1)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

unit: install
	$(PY) -m pytest -m "not e2e"

postgres-tests: install
	$(PY) scripts/with_postgres.py $(PY) -m pytest -m "not e2e"

# axe-core for the journeys' accessibility checks, from the npm registry at the locked version.
$(E2E_NODE): tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund
	@touch $(E2E_NODE)

e2e: install $(E2E_NODE)
	$(PY) scripts/ensure_apt.py chromium /usr/bin/chromium MOTCUA_REQUIRE_BROWSER
	$(PY) -m pytest -m e2e tests/e2e

# The SQLite and PostgreSQL suites run side by side (each is one process; the machine has two
# cores); each one's output is printed whole when it ends. Then the browser journeys.
test: lint
	@echo "Chạy song song: bộ kiểm thử trên SQLite và trên PostgreSQL (kết quả in ra khi xong)…"
	@$(MAKE) --no-print-directory -j2 --output-sync=target unit postgres-tests
	@$(MAKE) --no-print-directory e2e
	@echo "make test: tất cả đã qua."

bench: install
	$(PY) scripts/ensure_apt.py wrk /usr/bin/wrk MOTCUA_REQUIRE_WRK
	$(PY) bench/run.py
	MOTCUA_REQUIRE_POSTGRES=1 $(PY) scripts/with_postgres.py $(PY) bench/dossiers.py
	MOTCUA_REQUIRE_POSTGRES=1 $(PY) scripts/with_postgres.py $(PY) bench/board.py
	MOTCUA_REQUIRE_POSTGRES=1 $(PY) scripts/with_postgres.py $(PY) bench/messages.py
	MOTCUA_REQUIRE_POSTGRES=1 $(PY) scripts/with_postgres.py $(PY) bench/indicators.py

# Mutation testing of the rule modules (pyproject's [tool.mutmut]); long, not part of CI.
mutation: install
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 || true
	$(VENV)/bin/mutmut results | tee var/mutation-results.txt
	$(PY) scripts/mutation_summary.py var/mutation-results.txt

messages: install
	$(PY) manage.py makemessages -l en --no-location --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/screenshots .pytest_cache tests/e2e/node_modules
