# cchc — the two set-up commands (`make demo`, `make test`) and a few helpers.
# Everything runs from a local virtual environment in .venv, created on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The demo runs like production (DEBUG off) but over plain HTTP on the loopback address.
DEMO_ENV := DEBUG=0 HTTPS=0 ALLOWED_HOSTS=127.0.0.1,localhost SECRET_KEY_FILE=var/secret_key

.PHONY: demo test install serve worker lint clean-venv

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

demo: install var/secret_key
	$(DEMO_ENV) $(BIN)/cchc migrate --noinput
	$(DEMO_ENV) $(BIN)/cchc createcachetable
	$(DEMO_ENV) $(BIN)/cchc seed_demo
	$(DEMO_ENV) $(BIN)/cchc collectstatic --noinput -v0
	@echo "Mở http://$(HOST):$(PORT)/ — đăng nhập cán bộ tại http://$(HOST):$(PORT)/tai-khoan/dang-nhap/"
	$(DEMO_ENV) $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 2 --blocking-threads 4 config.wsgi:application

serve: install var/secret_key
	$(DEMO_ENV) $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 2 --blocking-threads 4 config.wsgi:application

worker: install var/secret_key
	$(DEMO_ENV) $(BIN)/cchc db_worker --no-reload

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cchc makemigrations --check --dry-run --settings=config.settings.test

clean-venv:
	rm -rf $(VENV)
