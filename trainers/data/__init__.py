"""SFT data quality: load public training-data formats, clean them, report what was dropped and why.

    from trainers.data import CleanOptions, clean, load_examples
    loaded = load_examples(["alpaca:data.json", "chats.jsonl"])
    result = clean(loaded.examples, loaded.rejected, CleanOptions(), against=["core"])
    rows = [ex.to_row() for ex in result.kept]        # {"messages": [...], "category"?, "source"}
    report = result.to_report(loaded.sources)

formats.py reads rows into Examples, load.py reads files, clean.py runs the steps (filters.py,
near_dup.py, decontam.py) with the knobs in options.py, inspect.py summarises a file. CLI: `harness data clean|inspect`.
"""

from trainers.data.clean import CleanResult, Drop, clean
from trainers.data.formats import Example, Rejected
from trainers.data.load import Loaded, load_examples
from trainers.data.options import CleanOptions

__all__ = ["CleanOptions", "CleanResult", "Drop", "Example", "Loaded", "Rejected", "clean", "load_examples"]
