"""Every word a resident reads on a page is in the Spanish catalogue.

For each resident template (everything under `templates/` and the apps' `templates/` but the
admin's), the text outside template tags, with the markup taken away, must hold no letters
unless it sits inside `{% translate %}` / `{% blocktranslate %}`; the attributes people read
(alt, title, aria-label, placeholder) count as text. Every message the templates ask for has a
Spanish translation in `locale/es/LC_MESSAGES/django.po` that is neither empty nor fuzzy, and
the committed `.mo` says the same as the `.po`. No subprocess: Django's own lexer and parser,
the standard library's HTML parser and polib.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Template, engines
from django.template.base import DebugLexer, Node, Token, TokenType
from django.templatetags.i18n import BlockTranslateNode, TranslateNode

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
# A non-letter stand-in for what a tag or variable prints; newlines kept so lines still count.
HOLE = "\x00"
HUMAN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
# Text between these tags is not read as page text.
SKIPPED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}
TRANSLATING_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
NOT_PAGE_TEXT = {"script", "style"}


def resident_templates() -> list[Path]:
    """Every template file a resident may see: the project's and each app's, not the admin's."""
    roots = [Path(directory) for directory in engines["django"].engine.dirs]
    roots += [
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("cities", "courts", "housing", "youthjobs", "collaborative")
    ]
    found = []
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.html")):
            relative = path.relative_to(root)
            if relative.parts[0] in {"admin", "drf_spectacular", "rest_framework"} or relative == Path(
                "cities/api_docs.html"
            ):
                continue
            found.append(path)
    return found


@dataclass(frozen=True)
class Untranslated:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _page_source(source: str) -> str:
    """The template with every tag, variable and comment, and all text inside translate
    blocks, comment and verbatim blocks, replaced by holes of the same line count."""
    parts: list[str] = []
    closing: str | None = None
    for token in DebugLexer(source).tokenize():
        raw = token.contents
        if token.token_type == TokenType.TEXT and closing is None:
            parts.append(raw)
            continue
        parts.append(HOLE + "\n" * _token_newlines(token, source))
        if token.token_type != TokenType.BLOCK:
            continue
        name = raw.split(maxsplit=1)[0] if raw else ""
        if closing is None and (name in SKIPPED_BLOCKS or name in TRANSLATING_BLOCKS):
            closing = SKIPPED_BLOCKS.get(name) or TRANSLATING_BLOCKS[name]
        elif name == closing:
            closing = None
    return "".join(parts)


def _token_newlines(token: Token, source: str) -> int:
    assert token.position is not None  # DebugLexer records where each token is
    start, end = token.position
    return source.count("\n", start, end)


class _TextFinder(HTMLParser):
    """Collects page text and human-read attribute values that hold a letter."""

    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.found: list[Untranslated] = []
        self.skipping: str | None = None

    def _check(self, text: str) -> None:
        first_letter = next((index for index, character in enumerate(text) if character.isalpha()), None)
        if first_letter is not None:
            line = self.getpos()[0] + text.count("\n", 0, first_letter)
            shown = re.sub(f"{HOLE}+", "…", " ".join(text.strip(HOLE + " \n\t").split()))
            self.found.append(Untranslated(self.path, line, shown))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_PAGE_TEXT:
            self.skipping = tag
        for name, value in attrs:
            if name in HUMAN_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.skipping:
            self.skipping = None

    def handle_data(self, data: str) -> None:
        if self.skipping is None:
            self._check(data)


def untranslated_text(path: Path) -> list[Untranslated]:
    finder = _TextFinder(str(path.relative_to(settings.BASE_DIR)))
    finder.feed(_page_source(path.read_text(encoding="utf-8")))
    finder.close()
    return finder.found


def _nodes(nodelist: list[Node]) -> list[Node]:
    found = []
    for node in nodelist:
        found.append(node)
        for attribute in node.child_nodelists:
            found += _nodes(getattr(node, attribute, None) or [])
    return found


def template_messages(path: Path) -> list[tuple[str | None, str]]:
    """(context, msgid) of every literal message the template asks for, as Django looks it up."""
    template = Template(path.read_text(encoding="utf-8"), engine=engines["django"].engine)
    messages: list[tuple[str | None, str]] = []
    for node in _nodes(list(template.nodelist)):
        if isinstance(node, TranslateNode):
            literal = node.filter_expression.var.literal if hasattr(node.filter_expression.var, "literal") else None
            if isinstance(literal, str):
                context = node.message_context.var if node.message_context else None
                # As Variable.resolve asks gettext: a literal "%" is looked up as "%%".
                messages.append((str(context) if context is not None else None, literal.replace("%", "%%")))
        elif isinstance(node, BlockTranslateNode):
            context = node.message_context.var if node.message_context else None
            singular, _ = node.render_token_list(node.singular)
            messages.append((str(context) if context is not None else None, singular))
            if node.plural:
                plural, _ = node.render_token_list(node.plural)
                messages.append((str(context) if context is not None else None, plural))
    return messages


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


# The pages' catalogue and the scripts' (Django's JavaScript catalogue, /jsi18n/).
DOMAINS = ["django", "djangojs"]


def _translations(entries: list[polib.POEntry] | list[polib.MOEntry]) -> dict[tuple[str | None, str], str]:
    """(context, msgid) to its translation; a plural's forms joined with "|"."""
    table: dict[tuple[str | None, str], str] = {}
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = {int(index): text for index, text in entry.msgstr_plural.items()}
            table[(entry.msgctxt, entry.msgid)] = "|".join(forms[index] for index in sorted(forms))
        else:
            table[(entry.msgctxt, entry.msgid)] = entry.msgstr
    return table


@pytest.mark.parametrize("path", resident_templates(), ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_resident_template_holds_no_text_outside_the_catalogue(path: Path, catalogue: polib.POFile) -> None:
    untranslated = untranslated_text(path)
    assert not untranslated, "Text outside {% translate %}/{% blocktranslate %}:\n" + "\n".join(map(str, untranslated))
    translated = {
        (entry.msgctxt, message)
        for entry in catalogue
        if not entry.obsolete and "fuzzy" not in entry.flags and entry.translated()
        for message in (entry.msgid, entry.msgid_plural)
        if message
    }
    missing = [message for message in template_messages(path) if message not in translated]
    assert not missing, f"{path.relative_to(settings.BASE_DIR)}: messages without a Spanish translation:\n" + "\n".join(
        repr(msgid) for _, msgid in missing
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_catalogue_entry_is_translated(domain: str) -> None:
    """Python and script strings too (guidance, forms, messages, maps): nothing empty, nothing fuzzy."""
    catalogue = polib.pofile(str(LOCALE / f"{domain}.po"))
    untranslated = [
        f"line {entry.linenum}: {entry.msgid!r}"
        for entry in catalogue
        if not entry.obsolete and ("fuzzy" in entry.flags or not entry.translated())
    ]
    assert not untranslated, f"Untranslated or fuzzy entries in {domain}.po:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_matches_the_po_file(domain: str) -> None:
    """The committed .mo is what `compilemessages` makes of the committed .po."""
    catalogue = polib.pofile(str(LOCALE / f"{domain}.po"))
    compiled = _translations(list(polib.mofile(str(LOCALE / f"{domain}.mo"))))
    # compilemessages leaves out fuzzy and untranslated entries.
    expected = {
        key: value
        for key, value in _translations([entry for entry in catalogue if "fuzzy" not in entry.flags]).items()
        if value.strip("|")
    }
    stale = sorted(key[1] for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key))
    assert not stale, f"{domain}.mo is out of date with {domain}.po (run compilemessages):\n" + "\n".join(stale[:20])


def test_the_finder_names_file_line_and_text(tmp_path: Path) -> None:
    """The check itself: it catches page text and a human attribute, and passes translated ones."""
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<h1>{% translate "Fine" %}</h1>\n'
        "{% comment %}Ignored words{% endcomment %}\n"
        '<img src="x.png" class="words here" alt="A picture">\n'
        "<p>{% blocktranslate %}Also fine {{ x }}{% endblocktranslate %} but not this</p>\n"
        "{# note #}<p>{{ value }} · 12</p>",
        encoding="utf-8",
    )
    finder = _TextFinder("page.html")
    finder.feed(_page_source(template.read_text(encoding="utf-8")))
    assert [(item.line, item.text) for item in finder.found] == [(3, "A picture"), (4, "but not this")]
