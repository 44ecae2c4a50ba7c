"""The example queries: one ``.rq`` file each in the project's queries folder, with a title and a description.

A file opens with comment lines naming what it asks, then the query::

    # title: Money by programme
    # title@zh: 各项目的资金
    # description: Every sum of money, with the programme it went to.
    SELECT ...

``title`` is required; ``description`` and translations (``key@lang``) are optional. The file's name
without ``.rq`` is the example's name and stable URL (``/queries/<name>``), so it must be lower-case
letters, digits, ``-`` or ``_``. A file that breaks these rules is an error naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from publisher.errors import ConfigurationError

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HEADER = re.compile(r"^#\s*(?P<key>[A-Za-z]+)(?:@(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*))?\s*:\s*(?P<text>.*)$")
KNOWN_KEYS = frozenset({"title", "description"})
DEFAULT_TEXT_LANGUAGE = "en"


@dataclass(frozen=True)
class Example:
    """One example query: its name, titles and descriptions by language, and the query text."""

    name: str
    query: str
    titles: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)

    def title(self, language: str) -> str:
        """The title in ``language``, else the untranslated one."""
        return self.titles.get(language) or self.titles[DEFAULT_TEXT_LANGUAGE]

    def description(self, language: str) -> str:
        """The description in ``language``, else the untranslated one, else nothing."""
        return self.descriptions.get(language) or self.descriptions.get(DEFAULT_TEXT_LANGUAGE, "")


def parse_example(name: str, text: str, where: str) -> Example:
    """Read one example from the text of its file; ``where`` names the file in errors."""
    if not NAME_PATTERN.match(name):
        raise ConfigurationError(
            f"{where}: the example's name {name!r} must be lower-case letters, digits, '-' or '_' (it becomes a URL)."
        )
    texts: dict[str, dict[str, str]] = {key: {} for key in KNOWN_KEYS}
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        header = _HEADER.match(stripped)
        if header is None:
            continue  # an ordinary comment
        key = header["key"].lower()
        if key not in KNOWN_KEYS:
            continue
        language = (header["lang"] or DEFAULT_TEXT_LANGUAGE).lower()
        value = header["text"].strip()
        if not value:
            raise ConfigurationError(f"{where}, line {number}: the {key} is empty.")
        texts[key][language] = value
    if DEFAULT_TEXT_LANGUAGE not in texts["title"]:
        raise ConfigurationError(f"{where}, line 1: the file must open with a '# title: ...' comment line.")
    if not any(line.strip() and not line.strip().startswith("#") for line in lines):
        raise ConfigurationError(f"{where}: there is no query after the comment lines.")
    return Example(name=name, query=text.strip() + "\n", titles=texts["title"], descriptions=texts["description"])


def load_examples(folder: Path) -> tuple[Example, ...]:
    """Every ``*.rq`` example in ``folder``, sorted by name; none when the folder does not exist."""
    if not folder.is_dir():
        return ()
    examples = []
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigurationError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}).") from exc
        examples.append(parse_example(path.stem, text, str(path)))
    return tuple(examples)


def find_example(examples: tuple[Example, ...], name: str) -> Example | None:
    """The example called ``name``, if there is one."""
    return next((example for example in examples if example.name == name), None)
