from pathlib import Path

import pytest

from quoteapi import DEFAULTS, create_app, load_settings


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


def test_settings_read_the_environment_as_flask_does(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command line reads settings without Flask: the same values as Flask's own.
    from flask import Config

    for key, value in {
        "QUOTEAPI_INDEX_BATCH_SIZE": "7",
        "QUOTEAPI_API_KEYS": "plain text, not JSON",
        "QUOTEAPI_SEARCH_TIME_BUDGET": "2.5",
        "QUOTEAPI_BACKGROUND_INDEXER": "false",
        "QUOTEAPI_EXTRA__NESTED__DEEP": '{"a": [1, 2]}',
        "QUOTEAPI_DEEP_JSON": "[" * 5000,
        "OTHER_SETTING": "ignored",
    }.items():
        monkeypatch.setenv(key, value)
    flask_config = Config(".")
    flask_config.update(DEFAULTS)
    flask_config.from_prefixed_env("QUOTEAPI")
    flask_config.update({"DATA_DIR": "given"})
    settings = load_settings({"DATA_DIR": "given"})
    assert settings == dict(flask_config)
    assert settings["INDEX_BATCH_SIZE"] == 7
    assert settings["EXTRA"]["NESTED"]["DEEP"] == {"a": [1, 2]}
