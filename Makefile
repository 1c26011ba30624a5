# cchc — the two set-up commands (`make demo`, `make test`) and a few helpers.
# Everything runs from a local virtual environment in .venv, created on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# granian: one worker per core, two threads each (docs/deployment.md, "Web server and worker").
WEB_WORKERS ?= 2
WEB_THREADS ?= 2
# The demo runs like production (DEBUG off) but over plain HTTP on the loopback address.
ALLOWED_HOSTS ?= 127.0.0.1,localhost
DEMO_ENV := DEBUG=0 HTTPS=0 ALLOWED_HOSTS=$(ALLOWED_HOSTS) SECRET_KEY_FILE=var/secret_key WEB_THREADS=$(WEB_THREADS)

.PHONY: demo test install system-packages serve worker pdf-server lint clean-venv messages

# Debian packages the whole suite needs: Chromium (browser tests), LibreOffice, its Python bridge
# (the warm converter, `cchc pdf_server`) and fonts (DOCX to PDF), poppler (reading PDFs back),
# SoftHSM2 and OpenSC (signing through a real PKCS#11 token). Installed when missing and running
# as root; otherwise the command to run is printed.
DEB_PACKAGES := chromium chromium-driver libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-liberation2 fonts-dejavu-core poppler-utils softhsm2 opensc

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

var/secret_key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# The audit log's HMAC key (AUDIT_KEY_FILE): outside the database, backed up with it.
var/audit_key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

demo: install var/secret_key var/audit_key
	$(DEMO_ENV) $(BIN)/cchc migrate --noinput
	$(DEMO_ENV) $(BIN)/cchc createcachetable
	$(DEMO_ENV) $(BIN)/cchc seed_demo
	$(DEMO_ENV) $(BIN)/cchc collectstatic --noinput -v0
	@echo "Mở http://$(HOST):$(PORT)/ — đăng nhập cán bộ tại http://$(HOST):$(PORT)/tai-khoan/dang-nhap/"
	$(DEMO_ENV) $(BIN)/cchc pdf_server > var/pdf_server.log 2>&1 & pdf=$$!; \
	$(DEMO_ENV) $(BIN)/cchc db_worker --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$pdf $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WEB_WORKERS) --blocking-threads $(WEB_THREADS) config.wsgi:application

serve: install var/secret_key
	$(DEMO_ENV) $(BIN)/cchc pdf_server > var/pdf_server.log 2>&1 & pdf=$$!; \
	$(DEMO_ENV) $(BIN)/cchc db_worker --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$pdf $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WEB_WORKERS) --blocking-threads $(WEB_THREADS) config.wsgi:application

worker: install var/secret_key
	$(DEMO_ENV) $(BIN)/cchc db_worker --no-reload

# The warm LibreOffice for papers (make demo and make serve start it, and the task worker,
# beside the app server).
pdf-server: install var/secret_key
	$(DEMO_ENV) $(BIN)/cchc pdf_server

system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="yes"; \
	command -v soffice >/dev/null 2>&1 || missing="yes"; \
	command -v pdftotext >/dev/null 2>&1 || missing="yes"; \
	/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || missing="yes"; \
	test -f /usr/lib/softhsm/libsofthsm2.so || missing="yes"; \
	fc-list 2>/dev/null | grep -q "Liberation Serif" || missing="yes"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Cài gói Debian cần cho bộ kiểm thử: $(DEB_PACKAGES)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES); \
	  else \
	    echo "Thiếu gói hệ thống. Chạy: sudo apt-get install --no-install-recommends $(DEB_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

# The suite runs on TEST_WORKERS processes (pytest-xdist; each has its own test database, media
# folder, audit key, converter and browser). worksteal: a worker that runs out takes half of the
# other's remaining tests, so a few minute-long demo tests do not leave one core idle at the end.
# One process for debugging: make test TEST_WORKERS=0 (or run .venv/bin/python -m pytest PATHS).
TEST_WORKERS ?= 2
PYTEST_XDIST ?= -n $(TEST_WORKERS) --dist worksteal

test: install system-packages
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy cchc config
	$(BIN)/cchc makemigrations --check --dry-run --settings=config.settings.test

clean-venv:
	rm -rf $(VENV)

# Vietnamese catalogue for Django's and the libraries' strings (the .mo is committed, so CI and
# installs need no gettext; tests/test_admin_vi.py checks the two agree).
messages:
	msgfmt --check -o cchc/locale/vi/LC_MESSAGES/django.mo cchc/locale/vi/LC_MESSAGES/django.po
