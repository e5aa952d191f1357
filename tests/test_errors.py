"""ImportFailed speaks the user's language: message ids with parameters, framing translated.

The scan keeps it so: every ``ImportFailed(...)`` and tabular-source ``.fail(...)`` in
``src/`` must take an ``N_("…")`` message id (or a variable holding one), never an English
literal or an f-string, which the catalogues could not translate.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tradewind import i18n
from tradewind.errors import ImportFailed, InvalidInput, Phrase
from tradewind.i18n import lazy_noop as N_

SRC = Path(__file__).resolve().parents[1] / "src" / "tradewind"


def _raises_import_failed(call: ast.Call, path: Path) -> bool:
    f = call.func
    if isinstance(f, ast.Name) and f.id == "ImportFailed":
        return True
    if isinstance(f, ast.Attribute) and f.attr == "fail":  # TabularSource.fail and the like
        return True
    return isinstance(f, ast.Name) and f.id == "fail" and path.name == "materials.py"


def _untranslatable(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in ("str", "repr", "format")
    if isinstance(node, ast.IfExp):
        return _untranslatable(node.body) or _untranslatable(node.orelse)
    return False


def offending_calls(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.parts[-2] == "cli":  # cli.app.fail(message) prints; it raises nothing
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and node.args and _raises_import_failed(node, path)
                    and _untranslatable(node.args[0])):
                found.append(f"{path.relative_to(root)}:{node.lineno}: "
                             f"{ast.unparse(node.args[0])[:70]}")
    return found


def test_every_import_failure_takes_a_message_id() -> None:
    bad = offending_calls(SRC)
    assert not bad, ("ImportFailed needs N_(\"message %(name)s\") and named parameters, not "
                     "an English literal or f-string:\n" + "\n".join(bad))


def test_the_scan_catches_literals_and_f_strings(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(
        "def f(src, x):\n"
        "    raise ImportFailed('plain English', file='a')\n"
        "def g(src, x):\n"
        "    raise src.fail(f'bad {x}', 3, 'col')\n"
        "def h(src, x):\n"
        "    raise ImportFailed(N_('fine %(x)s'), x=x)\n", "utf-8")
    assert [line.split(":")[1] for line in offending_calls(tmp_path)] == ["2", "4"]


@pytest.fixture
def french() -> object:
    token = i18n.current_language.set("fr")
    yield
    i18n.current_language.reset(token)


def test_framing_and_problem_in_the_current_language(french: object) -> None:
    error = ImportFailed(N_("%(text)r is not a number"), file="rates.csv", line=4,
                         field="rate", text="abc")
    assert error.describe() == "rates.csv, ligne 4, champ 'rate' : 'abc' n'est pas un nombre"
    assert error.english() == "rates.csv, line 4, field 'rate': 'abc' is not a number"
    assert error.problem == "'abc' is not a number"
    body = error.to_problem()
    assert (body["code"], body["file"], body["line"], body["field"]) == (
        "import_failed", "rates.csv", 4, "rate")
    assert body["params"] == {"text": "abc"}
    assert "n'est pas un nombre" in str(body["message"])


def test_nested_errors_and_phrases_follow_the_language(french: object) -> None:
    inner = InvalidInput(N_("%(text)r is not a number"), text="x")
    error = ImportFailed(N_("%(where)s: %(problem_text)s"), file="f.yaml",
                         where=Phrase(N_("entry %(entry)s"), entry=2), problem_text=inner)
    assert error.describe() == "f.yaml : entrée 2 : 'x' n'est pas un nombre"
    assert error.english() == "f.yaml: entry 2: 'x' is not a number"


def test_percent_signs_in_message_ids_are_shown_once() -> None:
    error = ImportFailed(N_("the rate is above 100%%"), file="t.csv")
    assert error.english() == "t.csv: the rate is above 100%"
