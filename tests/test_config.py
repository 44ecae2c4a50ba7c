"""Settings: defaults < settings file < PUBLISHER_ environment < the mapping given; bad values are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import SETTINGS, load_settings
from publisher.errors import ConfigurationError

DEFAULTS = {s.name: s.default for s in SETTINGS}


def test_defaults_apply_when_nothing_is_set() -> None:
    assert load_settings(environ={}) == DEFAULTS


def test_every_setting_has_a_help_line_and_a_unique_name() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    assert all(s.help.strip() for s in SETTINGS)


def test_settings_file_overrides_defaults(tmp_path: Path) -> None:
    file = tmp_path / "settings.toml"
    file.write_text('port = 9000\nHOST = "0.0.0.0"\n')
    settings = load_settings(environ={"PUBLISHER_SETTINGS_FILE": str(file)})
    assert settings["PORT"] == 9000
    assert settings["HOST"] == "0.0.0.0"


def test_environment_overrides_the_settings_file(tmp_path: Path) -> None:
    file = tmp_path / "settings.toml"
    file.write_text("PORT = 9000\nTHREADS = 3\n")
    settings = load_settings(environ={"PUBLISHER_SETTINGS_FILE": str(file), "PUBLISHER_PORT": "9100"})
    assert settings["PORT"] == 9100
    assert settings["THREADS"] == 3


def test_mapping_overrides_the_environment() -> None:
    settings = load_settings({"PORT": 9200}, environ={"PUBLISHER_PORT": "9100"})
    assert settings["PORT"] == 9200


def test_settings_file_named_in_the_mapping_is_read(tmp_path: Path) -> None:
    file = tmp_path / "settings.toml"
    file.write_text("QUERY_TIMEOUT = 2.5\n")
    assert load_settings({"SETTINGS_FILE": str(file)}, environ={})["QUERY_TIMEOUT"] == 2.5


def test_environment_values_take_the_type_of_the_default() -> None:
    settings = load_settings(
        environ={
            "PUBLISHER_PORT": "8080",
            "PUBLISHER_QUERY_TIMEOUT": "1.5",
            "PUBLISHER_SERVICE_ALLOWLIST": "http://a.example/sparql, http://b.example/sparql",
        }
    )
    assert settings["PORT"] == 8080
    assert settings["QUERY_TIMEOUT"] == 1.5
    assert settings["SERVICE_ALLOWLIST"] == ["http://a.example/sparql", "http://b.example/sparql"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "eighty"), ("QUERY_TIMEOUT", "soon"), ("PORT", True), ("PORT", 80.5), ("DATA_FILES", 3)],
)
def test_a_value_of_the_wrong_type_is_an_error_naming_the_setting(name: str, value: object) -> None:
    with pytest.raises(ConfigurationError, match=name):
        load_settings({name: value}, environ={})


def test_wrong_type_in_the_environment_names_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="PORT"):
        load_settings(environ={"PUBLISHER_PORT": "eighty"})


def test_an_unknown_name_in_the_mapping_is_an_error_naming_it() -> None:
    with pytest.raises(ConfigurationError, match="PROT"):
        load_settings({"PROT": 1}, environ={})


def test_an_unknown_name_in_the_settings_file_is_an_error_naming_it(tmp_path: Path) -> None:
    file = tmp_path / "settings.toml"
    file.write_text("THREDS = 4\n")
    with pytest.raises(ConfigurationError, match="THREDS"):
        load_settings(environ={"PUBLISHER_SETTINGS_FILE": str(file)})


def test_unknown_publisher_variables_in_the_environment_are_ignored() -> None:
    """Other tools may set PUBLISHER_* variables of their own; only ours are read."""
    assert load_settings(environ={"PUBLISHER_SOMETHING_ELSE": "x"}) == DEFAULTS


def test_a_missing_settings_file_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigurationError, match=r"nope\.toml"):
        load_settings(environ={"PUBLISHER_SETTINGS_FILE": str(missing)})


def test_a_settings_file_that_is_not_toml_is_an_error_naming_it(tmp_path: Path) -> None:
    file = tmp_path / "broken.toml"
    file.write_text("PORT = = 1\n")
    with pytest.raises(ConfigurationError, match=r"broken\.toml"):
        load_settings(environ={"PUBLISHER_SETTINGS_FILE": str(file)})


def test_a_path_is_accepted_for_a_file_setting(tmp_path: Path) -> None:
    assert load_settings({"PROJECT_FILE": tmp_path / "dataset.toml"}, environ={})["PROJECT_FILE"] == str(
        tmp_path / "dataset.toml"
    )
