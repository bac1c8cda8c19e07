"""`hf:NAME[:split]` (or `hf:NAME:CONFIG:SPLIT`): a dataset straight from the Hugging Face hub.

Loaded with `datasets.load_dataset`; the format is detected from the first row's columns (the
same sniffing as for files, e.g. `google/IFEval` -> ifeval, `databricks/databricks-dolly-15k`
-> dolly, `tatsu-lab/alpaca` -> alpaca, chat datasets with `messages` -> messages) and each row
converted by that format. Without a split: the only split, else `test`, else `train`.
Where the hub cannot be reached (offline, HF_HUB_OFFLINE / HF_DATASETS_OFFLINE) the error says
so and how to go on: download elsewhere, save as JSONL, pass FORMAT:PATH.
"""

from __future__ import annotations

from harness.errors import HarnessError
from harness.records import Case
from harness.suites import FORMATS, LoadLog, convert_records, sniff_keys, suite_source

PREFERRED_SPLITS = ("test", "train")


def parse_spec(spec: str) -> tuple[str, str | None, str | None]:
    """NAME[:split] or NAME:CONFIG:SPLIT -> (name, config, split)."""
    parts = spec.split(":")
    if any(not p.strip() for p in parts) or len(parts) > 3:
        raise HarnessError(f"hf:{spec}: expected hf:NAME, hf:NAME:SPLIT or hf:NAME:CONFIG:SPLIT")
    if len(parts) == 1:
        return parts[0], None, None
    if len(parts) == 2:
        return parts[0], None, parts[1]
    return parts[0], parts[1], parts[2]


def _pick_split(ds, name: str, log: LoadLog):
    splits = list(ds.keys())
    if len(splits) == 1:
        return ds[splits[0]]
    for s in PREFERRED_SPLITS:
        if s in ds:
            log.remark(f"hf:{name}: no split given, using {s!r} (splits: {', '.join(splits)})")
            return ds[s]
    raise HarnessError(f"hf:{name}: several splits ({', '.join(splits)}); name one: hf:{name}:SPLIT")


@suite_source("hf", help="a Hugging Face hub dataset through `datasets` (format detected from its columns)")
def load_hub(spec: str, log: LoadLog) -> tuple[list[Case], str]:
    name, config, split = parse_spec(spec)
    try:
        import datasets
    except ImportError:  # pragma: no cover - datasets is a dependency
        raise HarnessError("hf: suites need the `datasets` package (pip install datasets)") from None
    try:
        ds = datasets.load_dataset(name, config, split=split)
    except Exception as e:  # network, auth, not found, bad split... all end the same way for the user
        offline = datasets.config.HF_HUB_OFFLINE or getattr(datasets.config, "HF_DATASETS_OFFLINE", False)
        why = (
            "offline mode is on (HF_HUB_OFFLINE / HF_DATASETS_OFFLINE) and it is not in the local cache"
            if offline
            else "the hub may be unreachable from this machine, or the name/split is wrong"
        )
        raise HarnessError(
            f"could not load dataset {name!r} from the Hugging Face hub: {why} "
            f"({type(e).__name__}: {str(e)[:200]}). Download it where the hub is reachable, save it as JSONL "
            "and pass FORMAT:PATH (see `harness suites`)."
        ) from None
    if isinstance(ds, datasets.DatasetDict | dict):
        ds = _pick_split(ds, name, log)
    label = f"hf:{spec}"
    if len(ds) == 0:
        raise HarnessError(f"{label}: the dataset split is empty")
    first = dict(ds[0])
    fmt = sniff_keys(first, label)
    records = ((i, dict(row)) for i, row in enumerate(ds, 1))
    if FORMATS[fmt].convert is None:  # our own schema: strict, like a local file
        from harness.suites.jsonl import parse_case

        cases = [parse_case(row, label, i) for i, row in records]
        seen: set[str] = set()
        for c in cases:
            if c.id in seen:
                raise HarnessError(f"{c.source}: field 'id': duplicate id {c.id!r}")
            seen.add(c.id)
    else:
        cases = convert_records(records, FORMATS[fmt].convert, log, label)
    return cases, name.rstrip("/").split("/")[-1]
