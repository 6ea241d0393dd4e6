"""Labels looked up in a table and translated when shown (``_(STATUS_LABELS[s])``) are
only translated if the extraction found them, that is if each is marked ``N_(...)``.
Unmarked, they stay bokmål on a nynorsk page while the catalogue test passes."""

import ast
import importlib
import re
from pathlib import Path

from modules.accounts import services as accounts
from modules.certification import expiring
from modules.core import accessibility, translations
from modules.course_runs import models as runs
from modules.course_runs import queries

ROOT = Path(__file__).resolve().parents[2]
GETTEXT = {"_", "gettext", "_l", "lazy_gettext"}

#: Tables the templates translate with ``_(table[key])`` or ``{% for key, label in
#: table.items() %}…_(label)``, by the name the view passes them under.
TEMPLATE_TABLES = {
    "status_labels": accessibility.STATUS_LABELS,
    "method_labels": accessibility.METHOD_LABELS,
    "role_labels": accounts.ROLE_LABELS,
    "filters": queries.FILTERS,
    "sorts": queries.SORTS,
    "row": expiring.STATUS_TEXT,  # expiring.html: _(row[7]), the row's status
}


def _resolve(module, tree: ast.Module, name: str):
    """``name`` in ``module``, or where a function-level ``from … import name`` takes it."""
    if hasattr(module, name):
        return getattr(module, name)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names):
            source = importlib.import_module(node.module or "", module.__package__) \
                if not node.level else importlib.import_module(
                    "." * node.level + (node.module or ""), module.__package__)
            return getattr(source, name)
    raise LookupError(f"{module.__name__}: {name}")


def _table_of(node: ast.expr, module, tree: ast.Module) -> tuple[str, object] | None:
    """The module-level table a ``_()`` argument looks up, if it is one."""
    if isinstance(node, ast.Subscript):
        node = node.value
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
          and node.func.attr == "get"):
        node = node.func.value
    else:
        return None
    if isinstance(node, ast.Name) and node.id.isupper():
        return node.id, _resolve(module, tree, node.id)
    if isinstance(node, ast.Attribute) and node.attr.isupper() and isinstance(node.value,
                                                                             ast.Name):
        return node.attr, getattr(_resolve(module, tree, node.value.id), node.attr)
    return None


def _tables_in_modules() -> dict[str, object]:
    found = {}
    for path in sorted((ROOT / "modules").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [node for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                 and node.func.id in GETTEXT and node.args
                 and not isinstance(node.args[0], ast.Constant)]
        if not calls:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = importlib.import_module(name.removesuffix(".__init__"))
        for call in calls:
            table = _table_of(call.args[0], module, tree)
            if table:
                found[f"{name}.{table[0]}"] = table[1]
    return found


def _labels(table) -> list[str]:
    values = table.values() if isinstance(table, dict) else table
    return [value for value in values if isinstance(value, str)]


def test_the_table_finder_sees_the_known_lookups():
    tables = _tables_in_modules()
    assert "modules.audit.presenting.ACTION_LABELS" in tables
    assert "modules.certification.registry.STATUS_LABELS" in tables
    assert "modules.core.errors.TITLES" in tables


def test_every_template_table_lookup_is_known_here():
    """A template that translates a new table's labels names it in TEMPLATE_TABLES."""
    lookup = re.compile(r"_\((\w+)\[|for \w+, (\w+) in (\w+)\.items\(\) %\}.{0,200}?\{\{ _\(\2\)")
    used = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for match in lookup.finditer(path.read_text(encoding="utf-8")):
            used.add(match.group(1) or match.group(3))
    assert used == set(TEMPLATE_TABLES)


def test_every_label_translated_from_a_table_is_extracted_for_translation():
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in translations.extract()}
    tables = {**_tables_in_modules(), **TEMPLATE_TABLES,
              "RUN_STATUS_LABELS": runs.RUN_STATUS_LABELS,
              "PRACTICE_STATUS_LABELS": runs.PRACTICE_STATUS_LABELS}
    unmarked = {name: [label for label in _labels(table) if label not in extracted]
                for name, table in tables.items()}
    assert {name: labels for name, labels in unmarked.items() if labels} == {}, (
        "mark these labels N_(...) so `make translations` extracts them")
