"""Score the extractor against a gold file in the format of ../shared/eval.

``run_eval`` extracts quotes from every article a gold file names and scores them
with that gold's own ``score.py``, so the figures are exactly the ones the scorer
prints (the CLI wires it as ``quoteapi eval GOLD``).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from quoteapi.extract import extract_quotes

_GOLD_SUFFIX = ".gold.json"
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def default_texts_dir(gold_path: Path) -> Path:
    """The folder beside the gold named after its stem (dev.gold.json -> dev/), else seeds/."""
    name = gold_path.name
    if name.endswith(_GOLD_SUFFIX):
        beside = gold_path.with_name(name[: -len(_GOLD_SUFFIX)])
        if beside.is_dir():
            return beside
    return SEEDS_DIR


def load_scorer(path: Path) -> ModuleType:
    """Import a score.py by path; it must define ``score(gold, pred, verbose)``."""
    if not path.is_file():
        raise FileNotFoundError(
            f"no scorer at {path}; pass scorer_path (--scorer) pointing to ../shared/eval/score.py"
        )
    spec = importlib.util.spec_from_file_location("quoteapi_gold_scorer", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import a scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "score", None)):
        raise ImportError(f"{path} defines no score(gold, pred, verbose) function")
    return module


def predict(gold: dict[str, Any], texts_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Extract quotes from each article the gold names, in the scorer's PRED format."""
    pred: dict[str, list[dict[str, Any]]] = {}
    for name in gold["articles"]:
        path = texts_dir / name
        if not path.is_file():
            raise FileNotFoundError(
                f"the gold names {name} but {path} does not exist; pass texts_dir"
            )
        text = path.read_text(encoding="utf-8")
        pred[name] = [
            {"text": q.text, "start": q.start, "end": q.end, "speaker": q.speaker.name}
            for q in extract_quotes(text)
        ]
    return pred


def run_eval(
    gold_path: str | Path,
    texts_dir: str | Path | None = None,
    scorer_path: str | Path | None = None,
    verbose: bool = False,
) -> dict[str, Any]:
    """Extract, score with the gold's score.py, print its two summary lines, return its dict.

    Args:
        gold_path: a gold file ({"articles": {NAME: {"quotes": [...], ...}}}).
        texts_dir: the folder holding the articles; default: the folder beside
            the gold named after it (``dev/`` for ``dev.gold.json``), else ``seeds/``.
        scorer_path: the score.py to use; default: the one beside the gold file.
        verbose: let the scorer print every miss.

    Raises:
        FileNotFoundError: the gold, the scorer or an article is missing.
    """
    gold_file = Path(gold_path)
    if not gold_file.is_file():
        raise FileNotFoundError(f"no gold file at {gold_file}")
    scorer = load_scorer(Path(scorer_path) if scorer_path else gold_file.with_name("score.py"))
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    folder = Path(texts_dir) if texts_dir else default_texts_dir(gold_file)
    result: dict[str, Any] = scorer.score(gold, predict(gold, folder), verbose)
    print(
        f"quotes: P={result['span_p']:.3f} R={result['span_r']:.3f} F1={result['span_f1']:.3f}   "
        f"speaker accuracy on found quotes={result['speaker_acc']:.3f}   "
        f"end-to-end: P={result['e2e_p']:.3f} R={result['e2e_r']:.3f} F1={result['e2e_f1']:.3f}"
    )
    print(json.dumps(result))
    return result
