# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# gpu when an NVIDIA GPU is visible, else cpu; override with `make setup EXTRA=gpu`.
EXTRA ?= $(shell command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1 && echo gpu || echo cpu)
STAMP := $(VENV)/.installed-$(EXTRA)
# Where PYTHONDONTWRITEBYTECODE is set (our CI machines set it) nothing would ever write the bytecode uv leaves
# out, and every process would compile torch and transformers from source again (22 s to import them instead
# of 10 s, measured). Under make, the modules a command imports are compiled once, on first use.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup demo test lint clean-venv browser

setup: $(STAMP)

# Re-install only when the dependency pins change; otherwise `make setup` is a no-op.
# uv installs the same pins in a quarter of pip's time (38 s against 149 s from a fresh clone here), most of
# pip's being the compilation of all 28,000 modules to bytecode. uv leaves that to the first import. It does
# not read pip's configuration, so pip's find-links (where a machine may keep its CPU torch wheel) are passed on.
PIP_FIND_LINKS ?= $(shell $(PY) -m pip config get global.find-links 2>/dev/null)
UV := UV_LINK_MODE=copy $(BIN)/uv
$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install -q uv==0.9.30 2>&1 | grep -v "is ignored: it is neither" || true
	@test -x $(BIN)/uv || { echo "make setup: uv did not install into $(VENV); run $(BIN)/python -m pip install uv==0.9.30 to see why"; exit 1; }
	@# compat mode: a .pth with the project root, so packages added later import without reinstalling.
	$(UV) pip install -q --python $(BIN)/python $(foreach f,$(PIP_FIND_LINKS),--find-links $(f)) \
	  -C editable_mode=compat -e ".[$(EXTRA),dev]"
ifeq ($(EXTRA),cpu)
	@# The CPU vLLM drags in torchvision/torchaudio/torchcodec built for another torch:
	@# they break `import transformers` model classes ("operator torchvision::nms does not exist").
	$(UV) pip uninstall -q --python $(BIN)/python torchvision torchaudio torchcodec
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
