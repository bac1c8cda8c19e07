"""Write tests/data/arms/compare_v1.json: the two-model compare document of tests/arms_data.py's raw and sft
replay arms (paths as <TMP>, created/seconds dropped).

Run it from the root of a checkout WITHOUT the N-arm code (e.g. a worktree at 5f25c8e, with any later scorer
change applied), with tests/arms_data.py copied in: `python tests/data/arms/write_stored.py OUT.json`. The
stored file is what a two-model compare wrote before the N-arm work; tests/test_arms.py checks that today's
code writes the same. Last written on 5f25c8e with harness/scorers/ of 9d0fee3 (the relevance rules of issue F's
later rounds changed the relevance rows), tests/arms_data.py and tests/helpers.py copied in, run with
PYTHONPATH=tests:. (arms_data imports helpers).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app


def _arms_data():
    spec = importlib.util.spec_from_file_location("arms_data", Path("tests") / "arms_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stable(doc):
    if isinstance(doc, dict):
        return {k: _stable(v) for k, v in doc.items() if k not in ("created", "seconds")}
    if isinstance(doc, list):
        return [_stable(v) for v in doc]
    return doc


if __name__ == "__main__":
    tmp = Path(tempfile.mkdtemp())
    suite, files = _arms_data().write_arms(tmp, ("raw", "sft"))
    out = tmp / "out.json"
    res = CliRunner().invoke(app, ["--no-color", "compare", f"replay:{files['raw']}", f"replay:{files['sft']}",
                                   "--suite", str(suite), "--json", str(out)])
    assert res.exit_code == 0, res.output
    doc = _stable(json.loads(out.read_text().replace(str(tmp), "<TMP>")))
    Path(sys.argv[1]).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
