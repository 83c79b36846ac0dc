from pathlib import Path

import pytest

from quoteapi import create_app


def test_settings_override_defaults(tmp_path: Path) -> None:
    app = create_app({"DATA_DIR": str(tmp_path / "d"), "BACKGROUND_INDEXER": False})
    assert app.config["DATA_DIR"] == str(tmp_path / "d")
    assert (tmp_path / "d" / "quotes.sqlite3").exists()
    app.extensions["quoteapi.store"].close()


def test_environment_configures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEAPI_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("QUOTEAPI_INDEX_BATCH_SIZE", "7")
    app = create_app({"BACKGROUND_INDEXER": False})
    assert app.config["DATA_DIR"] == str(tmp_path / "env")
    assert app.config["INDEX_BATCH_SIZE"] == 7
    assert app.extensions["quoteapi.store"].batch_size == 7
    app.extensions["quoteapi.store"].close()


def test_an_unknown_indexer_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"QUOTEAPI_INDEXER.*'threads'.*thread or process"):
        create_app({"DATA_DIR": str(tmp_path / "d"), "INDEXER": "threads"})
