"""The project file (dataset.toml): what it yields, and errors that name the file and the setting."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from publisher.errors import ConfigurationError
from publisher.project import Project, load_project
from tests.conftest import ROOT, TINY_PROJECT


def write_project(folder: Path, edit: tuple[str, str] | None = None) -> Path:
    """The tiny project's dataset.toml in ``folder``, with one text replacement applied."""
    text = (TINY_PROJECT / "dataset.toml").read_text(encoding="utf-8")
    if edit:
        assert edit[0] in text
        text = text.replace(*edit)
    file = folder / "dataset.toml"
    file.write_text(text, encoding="utf-8")
    return file


def test_the_real_project_file_loads(project: Project) -> None:
    raw = tomllib.loads((ROOT / "dataset.toml").read_text(encoding="utf-8"))
    assert project.base == raw["dataset"]["base"]
    assert project.published == date.fromisoformat(raw["dataset"]["published"])
    assert set(project.title) == {"zh", "en"}


def test_paths_are_absolute_and_relative_to_the_file(tmp_path: Path) -> None:
    project = load_project(write_project(tmp_path))
    assert project.root == tmp_path.resolve()
    assert project.data_dir == tmp_path.resolve() / "data"
    assert project.dist_dir == tmp_path.resolve() / "dist"
    assert project.source == tmp_path.resolve() / "source.txt"


def test_figure_and_provenance_terms_are_read(tmp_path: Path) -> None:
    project = load_project(write_project(tmp_path))
    assert project.figures.figure_class == "https://example.org/tiny/ontology/Figure"
    assert set(project.figures.qualifiers) == {"exact", "more_than", "nearly"}
    assert project.provenance.start == "http://www.w3.org/ns/oa#start"


def test_unknown_tables_are_kept_for_the_modules_that_read_them(tmp_path: Path) -> None:
    project = load_project(write_project(tmp_path))
    assert project.extra["linksets"]["wikidata"]["namespace"] == "http://www.wikidata.org/entity/"


def test_a_missing_project_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"No project file at .*nope\.toml"):
        load_project(tmp_path / "nope.toml")


def test_a_project_file_that_is_not_toml_is_named(tmp_path: Path) -> None:
    file = tmp_path / "dataset.toml"
    file.write_text("[dataset\n")
    with pytest.raises(ConfigurationError, match=r"dataset\.toml is not valid TOML"):
        load_project(file)


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (('base = "https://example.org/tiny/"\n', ""), "'base'"),
        (('slug = "tiny"\n', ""), "'slug'"),
        (('published = "2022-09-27"\n', ""), "'published'"),
        (("[provenance]\n", "[provenance-terms]\n"), "'provenance'"),
        (('class = "https://example.org/tiny/ontology/Figure"\n', ""), "'class'"),
    ],
    ids=["base", "slug", "published", "provenance", "figure-class"],
)
def test_a_missing_setting_is_named(tmp_path: Path, edit: tuple[str, str], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        load_project(write_project(tmp_path, edit))


@pytest.mark.parametrize("bad", ["2022-13-01", "27 September 2022", "yesterday"])
def test_a_bad_publication_date_is_named(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ConfigurationError, match=r"dataset\.published"):
        load_project(write_project(tmp_path, ('published = "2022-09-27"', f'published = "{bad}"')))


def test_a_toml_date_is_accepted_for_the_publication_date(tmp_path: Path) -> None:
    project = load_project(write_project(tmp_path, ('published = "2022-09-27"', "published = 2022-09-27")))
    assert project.published == date(2022, 9, 27)


@pytest.mark.parametrize("bad", ["https://example.org/tiny", "example"])
def test_a_base_that_does_not_end_in_slash_or_hash_is_named(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ConfigurationError, match=r"dataset\.base"):
        load_project(write_project(tmp_path, ('base = "https://example.org/tiny/"', f'base = "{bad}"')))


def test_a_base_that_is_not_text_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"dataset\.base"):
        load_project(write_project(tmp_path, ('base = "https://example.org/tiny/"', "base = 42")))


def test_a_title_that_is_not_a_table_of_languages_is_named(tmp_path: Path) -> None:
    edit = ('[dataset.title]\nzh = "示例数据集"\nen = "A tiny dataset"\n', "")
    text_title = ('slug = "tiny"\n', 'slug = "tiny"\ntitle = "A tiny dataset"\n')
    file = write_project(tmp_path, edit)
    file.write_text(file.read_text(encoding="utf-8").replace(*text_title), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"dataset\.title"):
        load_project(file)


def test_keywords_that_are_not_a_list_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"dataset\.keywords"):
        load_project(write_project(tmp_path, ('keywords = ["test", "测试"]', 'keywords = "test"')))
