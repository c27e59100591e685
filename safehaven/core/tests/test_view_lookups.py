"""Views fetch single objects only through access helpers (STYLE.md, SECURITY.md T5).

A raw ``Model.objects.get(...)`` or ``get_object_or_404(...)`` in a view module skips the
outsider-404 / wrong-role-403 gate, so this test fails on any of them.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
FORBIDDEN_FUNCTIONS = {"get_object_or_404", "get_list_or_404"}
FORBIDDEN_METHODS = {"get", "in_bulk", "get_or_create", "first", "last", "earliest", "latest"}


def view_modules() -> list[Path]:
    return sorted(
        path
        for pattern in ("*/views.py", "*/views_*.py", "*/*_views.py")
        for path in PACKAGE.glob(pattern)
    )


def chain_mentions_objects(node: ast.AST) -> bool:
    while isinstance(node, (ast.Attribute, ast.Call)):
        if isinstance(node, ast.Attribute):
            if node.attr == "objects":
                return True
            node = node.value
        else:
            node = node.func
    return False


def raw_lookups(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in FORBIDDEN_FUNCTIONS:
            found.append((node.lineno, function.id))
        if (
            isinstance(function, ast.Attribute)
            and function.attr in FORBIDDEN_METHODS
            and chain_mentions_objects(function.value)
        ):
            found.append((node.lineno, f"objects…{function.attr}()"))
    return found


def test_it_finds_view_modules_to_check():
    assert len(view_modules()) >= 3


@pytest.mark.parametrize("path", view_modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_it_has_no_raw_object_lookup_in_views(path: Path):
    assert raw_lookups(path.read_text(encoding="utf-8")) == []


def test_it_catches_the_forbidden_patterns():
    source = (
        "def view(request, pk):\n"
        "    a = Case.objects.get(pk=pk)\n"
        "    b = get_object_or_404(Case, pk=pk)\n"
        "    c = Case.objects.filter(owner=request.user).first()\n"
        "    d = Case.objects.filter(state='new')\n"
    )
    assert [line for line, _name in raw_lookups(source)] == [2, 3, 4]
