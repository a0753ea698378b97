# cardpipe — every target does its own set-up on a fresh Debian/Ubuntu machine.
#   make demo   install Tesseract (apt-get) and a virtualenv, run the pipeline on samples/
#   make test   the same set-up, then the whole test suite (real Tesseract, real Radicale)
#   make bench  accuracy and speed tables (OCR, parsing, matching, nightly sync);
#               BENCH_LARGE=1 make bench adds the matcher on a 1,000,000-contact book

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

# Tesseract with the languages cardpipe reads, and the fonts the sample generator renders with;
# Chromium and its driver for the review page's browser tests (Selenium drives Debian's own).
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra \
	tesseract-ocr-spa tesseract-ocr-ita tesseract-ocr-nld tesseract-ocr-osd \
	tesseract-ocr-kor tesseract-ocr-jpn tesseract-ocr-chi-sim tesseract-ocr-chi-tra \
	fonts-noto-cjk \
	fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-noto-core fonts-open-sans \
	fonts-roboto-unhinted fonts-lato fonts-crosextra-carlito fonts-crosextra-caladea \
	fonts-ebgaramond fonts-cantarell openssl \
	chromium chromium-driver

.PHONY: help system-deps install demo test test-fast lint fixtures bench clean

help:
	@sed -n '1,5p' Makefile

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	$(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  else echo "please install Tesseract 5 and Python venv ($$missing) with your package manager"; exit 5; fi; \
	fi

$(BIN)/.installed: pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: system-deps $(BIN)/.installed

demo: install
	@mkdir -p out
	@# exit 10 = finished, some cards reported (listed above); anything else is a failure
	$(BIN)/cardpipe run samples --book samples/book.vcf --out out/book.vcf \
		--event "Sample Expo 2026" --report out/report.jsonl || [ $$? -eq 10 ]
	$(BIN)/cardpipe export --book out/book.vcf --to out/phone.vcf --csv out/google.csv
	@echo "merged book: out/book.vcf   phone import: out/phone.vcf   CSV: out/google.csv   decisions: out/report.jsonl"

test: install
	$(BIN)/pytest -n $(JOBS) -q

test-fast: install
	$(BIN)/pytest -n $(JOBS) -q -m "not slow"

lint: install
	$(BIN)/ruff check cardpipe tests bench samples scripts
	$(BIN)/mypy

fixtures: install
	$(BIN)/python scripts/record_fixtures.py

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) out build *.egg-info .pytest_cache .ruff_cache
