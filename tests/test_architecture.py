"""The shape of the code: the import graph has no circle, the core imports no app and names
none, and a new app reaches the core through its one registration."""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import grimp
import pytest
from django.conf import settings

from cities.enqueue import task_named
from cities.registry import portal_apps

ROOT = Path(settings.BASE_DIR)
CORE = "cities"


def project_packages() -> list[str]:
    """The project's own packages: every registered app and the project itself."""
    return sorted({app.label for app in portal_apps()} | {"civicportal"})


@pytest.fixture(scope="module")
def import_graph() -> grimp.ImportGraph:
    # Every import statement counts, those inside functions and under TYPE_CHECKING too.
    return grimp.build_graph(*project_packages(), cache_dir=None)


def test_the_import_graph_of_the_project_has_no_circle(import_graph) -> None:
    dependencies = {module: import_graph.find_modules_directly_imported_by(module) for module in import_graph.modules}
    try:
        TopologicalSorter(dependencies).prepare()
    except CycleError as error:
        cycle = error.args[1]
        pytest.fail(f"import circle: {' -> '.join(reversed(cycle))}")


def test_the_core_imports_no_app(import_graph) -> None:
    """The core's tests exercise the assembled portal and may; the core's code may not."""
    apps = set(project_packages()) - {CORE, "civicportal"}
    core_modules = [
        module for module in import_graph.modules if module.split(".")[0] == CORE and ".tests" not in module
    ]
    offending = sorted(
        f"{module} imports {imported}"
        for module in core_modules
        for imported in import_graph.find_modules_directly_imported_by(module)
        if imported.split(".")[0] in apps
    )
    assert offending == []


def app_names_pattern() -> re.Pattern[str]:
    """What names an app: its label as an identifier ("courts.models", "courts:home"; the
    word alone in prose is not a name: the core is "the cities' collaborative") and the city
    it serves, however written ("St. Louis", "st_louis")."""
    names = []
    for app in portal_apps():
        if app.label == CORE:
            continue
        names.append(rf"(?<![a-z]){re.escape(app.label)}(?=[.:][a-z])")
        if app.city_slug:
            words = r"[-_ .]*".join(re.escape(word) for word in app.city_slug.split("-"))
            names.append(rf"(?<![a-z]){words}(?![a-z])")
    return re.compile("|".join(names), re.IGNORECASE)


def _code_texts(tree: ast.Module) -> list[tuple[int, str]]:
    """The names and string constants of a module's code: docstrings (documentation, which
    may give examples) and comments are not code."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            texts.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            texts.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            texts.append((node.lineno, node.attr))
        elif isinstance(node, ast.alias):
            texts.append((node.lineno, node.name))
        elif isinstance(node, ast.ImportFrom) and node.module:
            texts.append((node.lineno, node.module))
    return texts


def test_the_core_names_no_app_in_its_code_or_templates() -> None:
    """Data (the demo files), migrations (frozen history) and the core's tests may; the code
    and the core's templates (with base.html) may not."""
    pattern = app_names_pattern()
    found = []
    for path in sorted((ROOT / CORE).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        for line, text in _code_texts(ast.parse(path.read_text(), filename=str(path))):
            # An example in a help text ("e.g. courts.reminder") documents; it names nothing.
            if pattern.search(text) and "e.g." not in text:
                found.append(f"{relative}:{line}: {text!r}")
    templates = [ROOT / "templates" / "base.html", *sorted((ROOT / "templates" / CORE).rglob("*.html"))]
    for path in templates:
        for number, line in enumerate(re.sub(r"{#.*?#}", "", path.read_text()).splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)


def test_the_core_would_name_an_app_it_knew() -> None:
    """The check above can fail: a resident service naming a city app's URL is caught."""
    pattern = app_names_pattern()
    tree = ast.parse('RESIDENT_SERVICES = (("Find my ticket", "courts:find-ticket"),)\nBOSTON_STAFF = 1\n')
    assert sorted(text for _, text in _code_texts(tree) if pattern.search(text)) == [
        "BOSTON_STAFF",
        "courts:find-ticket",
    ]


def test_every_task_named_in_the_code_is_a_celery_task() -> None:
    """Services send tasks by name (`cities.enqueue`) so that they need not import them: a
    misspelt name would fail only when sent, so every name in the code is checked here."""
    named = set()
    for package in project_packages():
        for path in (ROOT / package).rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                text = node.value if isinstance(node, ast.Constant) else None
                if isinstance(text, str) and re.fullmatch(r"[a-z_]+(\.[a-z_]+)*\.tasks\.[a-z_]+", text):
                    named.add(text)
    assert {"youthjobs.tasks.match_run_task", "youthjobs.tasks.offers_send_task"} <= named
    for task_name in sorted(named):
        assert task_named(task_name).name == task_name
