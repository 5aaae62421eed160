"""The layers of docs/architecture.md, checked on the source: no cycle between apps (lazy
imports inside functions, `importlib.import_module("htxnu.…")`, `apps.get_model("label", …)`
and model references written as "label.Model" all count) and no private name imported
from another app. Tests and migrations are left out; the project-level modules
(htxnu/text.py, htxnu/urls.py, …) are not apps, and text.py may import no app at all."""

import ast
import unittest
from collections import defaultdict
from pathlib import Path

from django.apps import apps

PACKAGE = Path(__file__).resolve().parents[2]  # htxnu/
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
# The layers of docs/architecture.md, lowest first; apps of one layer do not import each other.
LAYERS = [("formats",), ("geo",), ("core",), ("accounts",), ("registry",), ("plans",), ("activities",), ("reporting",),
          ("dashboard", "portal"), ("api",)]


def our_apps() -> dict[str, str]:
    """{package name (htxnu.<name>): app label} for the project's installed apps and its
    other packages (api, formats), which are checked the same way."""
    found = {path.parent.name: path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    for config in apps.get_app_configs():
        if config.name.startswith("htxnu."):
            found[config.name.split(".")[1]] = config.label
    return found


def modules(app: str):
    for path in sorted((PACKAGE / app).rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _target_app(module: str, names: dict) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "htxnu" and len(parts) > 1 and parts[1] in names else None


def references(source: str, app: str, names: dict[str, str]):
    """(line, other app, what, private?) for every reference from this module to another app."""
    by_label = {label: name for name, label in names.items()}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                other = _target_app(alias.name, names)
                if other and other != app:
                    private = any(part.startswith("_") for part in alias.name.split(".")[2:])
                    yield node.lineno, other, f"import {alias.name}", private
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            other = _target_app(node.module, names)
            if other and other != app:
                private = any(part.startswith("_") for part in node.module.split(".")[2:]) or any(
                    alias.name.startswith("_") for alias in node.names
                )
                imported = ", ".join(alias.name for alias in node.names)
                yield node.lineno, other, f"from {node.module} import {imported}", private
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            literal = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if called == "import_module" and literal:
                other = _target_app(literal[0], names)
                if other and other != app:
                    yield node.lineno, other, f"import_module({literal[0]!r})", False
            elif called == "get_model" and literal:
                label = literal[0].split(".")[0]
                other = by_label.get(label)
                if other and other != app:
                    yield node.lineno, other, f"get_model({', '.join(map(repr, literal))})", False
            elif called in RELATION_FIELDS and literal and "." in literal[0]:
                other = by_label.get(literal[0].split(".")[0])
                if other and other != app:
                    yield node.lineno, other, f"{called}({literal[0]!r})", False


def app_graph(names: dict[str, str]):
    """({(app, other): [where, …]}, [private imports]) over the apps' source."""
    edges, private = defaultdict(list), []
    for app in names:
        for path in modules(app):
            where = path.relative_to(PACKAGE.parent)
            for line, other, what, is_private in references(path.read_text(encoding="utf-8"), app, names):
                edges[(app, other)].append(f"{where}:{line} {what}")
                if is_private:
                    private.append(f"{where}:{line} {what}")
    return edges, private


def cycles(edges) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan)."""
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
        graph.setdefault(b, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


class ImportGraphTests(unittest.TestCase):
    def test_no_cycle_between_apps(self):
        names = our_apps()
        edges, _private = app_graph(names)
        problems = []
        for group in cycles(edges):
            lines = [f"cycle between {', '.join(group)}:"]
            for (a, b), where in sorted(edges.items()):
                if a in group and b in group:
                    lines.append(f"  {a} -> {b}: " + "; ".join(where))
            problems.append("\n".join(lines))
        self.assertEqual(problems, [], "\n".join(problems))

    def test_no_private_name_imported_from_another_app(self):
        _edges, private = app_graph(our_apps())
        self.assertEqual(private, [], "\n".join(private))

    def test_the_text_helpers_below_every_app_import_none(self):
        names = our_apps()
        found = list(references((PACKAGE / "text.py").read_text(encoding="utf-8"), "", names))
        self.assertEqual(found, [])

    def test_every_app_imports_only_from_the_layers_below_it(self):
        names = our_apps()
        self.assertEqual(set(names), {app for layer in LAYERS for app in layer}, "an app missing from LAYERS")
        rank = {app: i for i, layer in enumerate(LAYERS) for app in layer}
        upward = [f"{a} -> {b}: " + "; ".join(where) for (a, b), where in sorted(app_graph(names)[0].items())
                  if rank[a] <= rank[b]]
        self.assertEqual(upward, [], "\n".join(upward))

    # The checker itself, on made-up source, so the tests above cannot pass by finding nothing.
    def test_the_checker_sees_lazy_string_and_private_references(self):
        names = {"core": "core", "geo": "geo", "plans": "plans"}
        source = (
            "from htxnu.plans.models import Plan\n"
            "def f():\n"
            "    from htxnu.geo._internal import thing\n"
            "    from htxnu.plans.selectors import _pick\n"
            "    apps.get_model('geo', 'AdminUnit')\n"
            "    importlib.import_module('htxnu.plans.demo')\n"
            "unit = models.ForeignKey('geo.AdminUnit', on_delete=None)\n"
        )
        found = [(line, other, private) for line, other, _what, private in references(source, "core", names)]
        self.assertEqual(
            sorted(found),
            [(1, "plans", False), (3, "geo", True), (4, "plans", True), (5, "geo", False), (6, "plans", False),
             (7, "geo", False)],
        )
        self.assertEqual(cycles({("core", "geo"): [], ("geo", "plans"): [], ("plans", "core"): []}),
                         [["core", "geo", "plans"]])
        self.assertEqual(cycles({("core", "geo"): [], ("plans", "geo"): []}), [])
