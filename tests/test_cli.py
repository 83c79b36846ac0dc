"""The quoteapi command line, over a real data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS, SHARED_EVAL

from quoteapi.cli import main


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("QUOTEAPI_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_extract_json_offsets_slice_the_file(runner: CliRunner, seed: Path) -> None:
    result = runner.invoke(main, ["extract", str(seed), "--format", "json"])
    assert result.exit_code == 0, result.output
    quotes = json.loads(result.output)["quotes"]
    text = seed.read_text(encoding="utf-8")
    for q in quotes:
        assert text[q["start"] : q["end"]] == q["text"]
        assert set(q) == {"text", "start", "end", "speaker", "cue", "kind", "confidence"}
        assert set(q["speaker"]) == {"name", "title", "type", "mention"}


def test_extract_keeps_crlf_offsets(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("Headline\r\n\r\nThe coach, Ivo Tal, said: “We train at dawn.”\r\n".encode())
    result = runner.invoke(main, ["extract", str(path), "--format", "json"])
    [quote] = json.loads(result.output)["quotes"]
    text = path.read_bytes().decode()
    assert text[quote["start"] : quote["end"]] == "We train at dawn."


def test_extract_text_format(runner: CliRunner) -> None:
    result = runner.invoke(main, ["extract", str(SEEDS / "003_7bc43a29297a15d1.txt")])
    assert result.exit_code == 0
    assert "Yuri Ushakov" in result.output


def test_extract_refuses_non_utf8(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes('Caf\xe9 owner said "fine".'.encode("latin-1"))
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_ingest_then_search(runner: CliRunner, tmp_path: Path) -> None:
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "one.json").write_text(
        json.dumps(
            {
                "text": "The chef, Mia Sol, said: “Salt is the secret.”",
                "url": "https://ex.am/ple",
                "outlet": "Food Daily",
            }
        )
    )
    (extra / "many.ndjson").write_text(
        json.dumps({"text": "Coach Lee Vance said: “Defence wins.”"})
        + "\n\n"
        + json.dumps({"text": "The pilot, Ada Fenn, said: “Clear skies ahead.”"})
        + "\n"
    )
    result = runner.invoke(main, ["ingest", str(SEEDS), str(extra)])
    assert result.exit_code == 0, result.output
    assert "ingested 8 articles" in result.output
    # Ingesting again replaces.
    again = runner.invoke(main, ["ingest", str(SEEDS), str(extra)])
    assert "the store holds 8 articles" in again.output

    found = runner.invoke(main, ["search", "secret", "--format", "json"])
    body = json.loads(found.output)
    assert body["total"] == 1
    assert body["results"][0]["speaker"]["name"] == "Mia Sol"
    assert body["results"][0]["article"]["outlet"] == "Food Daily"
    text = runner.invoke(main, ["search", "--speaker", "kirby"])
    assert "John Kirby" in text.output


def test_ingest_reports_bad_files_and_keeps_good_ones(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("The mayor, Ro Vik, said: “Roads first.”")
    (tmp_path / "bad.json").write_text("{oops")
    (tmp_path / "empty.json").write_text(json.dumps({"text": "  "}))
    result = runner.invoke(
        main,
        [
            "ingest",
            str(tmp_path / "good.txt"),
            str(tmp_path / "bad.json"),
            str(tmp_path / "empty.json"),
        ],
    )
    assert result.exit_code == 1
    assert "bad.json: invalid JSON" in result.output
    assert "empty.json" in result.output and "ingested 1 articles" in result.output


def test_ingest_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["ingest", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


@pytest.mark.skipif(not (SHARED_EVAL / "seeds.gold.json").exists(), reason="no shared eval")
def test_eval_scores_the_seeds(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["eval", str(SHARED_EVAL / "seeds.gold.json"), "--texts", str(SEEDS)]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert scores["gold"] > 0 and scores["e2e_f1"] > 0


def test_reindex_rebuilds_and_swaps(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["ingest", str(SEEDS)]).exit_code == 0
    before = json.loads(
        runner.invoke(main, ["search", "--speaker", "kirby", "--format", "json"]).output
    )
    result = runner.invoke(main, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "indexed 5 articles into index-1" in result.output and "index lag 0" in result.output
    assert (tmp_path / "data" / "index-current").read_text() == "index-1"
    again = runner.invoke(main, ["reindex", "--re-extract"])
    assert again.exit_code == 0 and "into index-2" in again.output, again.output
    after = json.loads(
        runner.invoke(main, ["search", "--speaker", "kirby", "--format", "json"]).output
    )
    assert after["total"] == before["total"] > 0
    assert sorted(p.name for p in (tmp_path / "data").iterdir() if p.name.startswith("index-")) == [
        "index-1",
        "index-2",
        "index-current",
    ]
