"""A small HTML reader for tests: every element with its attributes and text, found by tag and class."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass
class Element:
    """One element: its tag, attributes, and the text inside it (descendants included)."""

    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)
    children: list[Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, tag: str, class_name: str | None = None, **attrs: str) -> list[Element]:
        """Descendants with ``tag``, in document order: with ``class_name`` among their classes, and each
        attribute of ``attrs`` exactly as given (``class_="x"`` for the attribute ``class``)."""
        found = []
        for child in self.children:
            if (
                child.tag == tag
                and (class_name is None or class_name in child.classes)
                and all(child.attrs.get(name.rstrip("_")) == value for name, value in attrs.items())
            ):
                found.append(child)
            found.extend(child.find_all(tag, class_name, **attrs))
        return found

    def find(self, tag: str, class_name: str | None = None, **attrs: str) -> Element:
        """The first such descendant; the test fails when there is none."""
        found = self.find_all(tag, class_name, **attrs)
        assert found, f"no <{tag} {class_name or ''} {attrs}>"
        return found[0]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open: list[Element] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.parts.append(data)


def parse_html(html: str) -> Element:
    """The document's root element."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.root
