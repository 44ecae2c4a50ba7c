"""The application factory alone: settings layering into app.config, data loading, bad data."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher import create_app
from publisher.errors import ConfigurationError, InputError
from publisher.store import EXTENSION_KEY

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample.ttl"


def make(**config: object):
    base = {"PROJECT_FILE": str(ROOT / "dataset.toml"), "DATA_FILES": [str(SAMPLE)]}
    base.update(config)
    return create_app(base)


def test_factory_loads_the_configured_files_once_into_extensions() -> None:
    app = make()
    data = app.extensions[EXTENSION_KEY]
    assert data.triple_count == 7
    assert data.files == (SAMPLE.resolve(),)
    assert len(data.version) == 16


def test_factory_passes_flask_settings_through_and_applies_ours() -> None:
    app = make(TESTING=True, QUERY_TIMEOUT="2.5")
    assert app.testing is True
    assert app.config["QUERY_TIMEOUT"] == 2.5
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["MAX_BODY_BYTES"]


def test_factory_reads_prefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISHER_RESULT_LIMIT", "17")
    assert make().config["RESULT_LIMIT"] == 17


def test_factory_refuses_a_missing_data_file_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ttl"
    with pytest.raises(InputError, match=r"nope\.ttl"):
        make(DATA_FILES=[str(missing)])


def test_factory_refuses_a_data_file_that_does_not_parse(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.ttl does not parse"):
        make(DATA_FILES=[str(broken)])


def test_factory_without_a_built_dataset_says_to_build(tmp_path: Path) -> None:
    project = tmp_path / "dataset.toml"
    project.write_text((ROOT / "dataset.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="publisher build"):
        create_app({"PROJECT_FILE": str(project), "DATA_FILES": []})


def test_triples_of_a_plain_file_land_in_a_named_graph_of_their_own() -> None:
    data = make().extensions[EXTENSION_KEY]
    graphs = {str(g.value) for g in data.store.named_graphs()}
    assert graphs == {"https://w3id.org/shaanxi-unions/graph/sample"}
