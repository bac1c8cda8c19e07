# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# gpu when an NVIDIA GPU is visible, else cpu; override with `make setup EXTRA=gpu`.
EXTRA ?= $(shell command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1 && echo gpu || echo cpu)
STAMP := $(VENV)/.installed-$(EXTRA)

.PHONY: setup demo test lint clean-venv browser

setup: $(STAMP)

# Re-install only when the dependency pins change; otherwise `make setup` is a no-op.
$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	@# compat mode: a .pth with the project root, so packages added later import without reinstalling.
	@# Its notice that the mode is transitional (setuptools is pinned < 82, where it still exists) is
	@# known and harmless: that one warning is silenced, nothing else.
	PYTHONWARNINGS="ignore:Compat editable installs" $(BIN)/python -m pip install -q -e ".[$(EXTRA),dev]" --config-settings editable_mode=compat
ifeq ($(EXTRA),cpu)
	@# The CPU vLLM drags in torchvision/torchaudio/torchcodec built for another torch:
	@# they break `import transformers` model classes ("operator torchvision::nms does not exist").
	$(BIN)/python -m pip uninstall -q -y torchvision torchaudio torchcodec
endif
	@touch $(STAMP)

demo: setup
	$(BIN)/harness compare base sft

test: setup browser
	$(BIN)/python -m pytest -q

# The HTML report is tested in a real headless Chromium (Debian's package; needs root to install).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  (echo "installing Chromium for the HTML report's browser test" && apt-get update -qq && \
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

lint: setup
	$(BIN)/ruff check .

clean-venv:
	rm -rf $(VENV)
