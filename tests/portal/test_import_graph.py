"""No import cycle between the project's modules, and every module imports on its own.

The graph is read with ``ast`` from the modules' top-level imports (those that run when a module is imported);
imports inside functions are not edges here. A cycle makes the modules' behaviour depend on which one is imported
first, which is what the second test catches: each module is imported first, in a fresh interpreter.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agreements", "cooperation", "migrants", "portal")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            modules[_module_name(path)] = path
    return modules


def _top_level_imports(node):
    """The import statements run when the module is imported: the body, and the bodies of ``if``/``try``/
    ``with`` blocks at module level, not functions or classes (``if TYPE_CHECKING`` blocks are skipped)."""
    for child in node.body if hasattr(node, "body") else []:
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If):
            if "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            yield from _top_level_imports(child)
            for orelse in child.orelse:
                yield from _top_level_imports(ast.Module(body=[orelse], type_ignores=[]))
        elif isinstance(child, ast.Try | ast.With):
            yield from _top_level_imports(child)
            for handler in getattr(child, "handlers", []):
                yield from _top_level_imports(handler)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """``{module: the project modules it imports at its top level}``. ``from package import name`` names the
    submodule when ``name`` is one, else the package; importing a submodule from outside its package also imports
    the package (``_packages_entered``)."""
    graph = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        edges = set()
        for node in _top_level_imports(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module
                targets = [
                    f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules else module for alias in node.names
                ]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
                    edges.update(_packages_entered(name, target, modules))
        graph[name] = edges
    return graph


def _packages_entered(importer: str, target: str, modules) -> set[str]:
    """Importing ``a.b.c`` runs the ``__init__`` of ``a`` and ``a.b`` first: those of them that are not packages
    of the importer itself (a package importing its own submodules, and those importing their siblings, is how
    packages work) are imported too."""
    own = importer.split(".")
    parts = target.split(".")
    entered = set()
    for depth in range(1, len(parts)):
        package = ".".join(parts[:depth])
        if parts[:depth] != own[:depth] and package in modules:
            entered.add(package)
    return entered


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as the list of its modules (the first repeated at the end), or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    for start in sorted(graph):
        if colour[start] != WHITE:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        colour[start] = GREY
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = BLACK
                stack.pop()
                path.pop()
            elif colour.get(child) == GREY:
                return [*path[path.index(child) :], child]
            elif colour.get(child) == WHITE:
                colour[child] = GREY
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return None


@pytest.mark.unit
def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.unit
def test_the_graph_reads_relative_and_package_imports(tmp_path):
    graph = import_graph(project_modules())
    assert "agreements.registry.models" in graph["agreements.registry.services.entries"]
    assert "agreements.registry.services.publish" in graph["agreements.registry.services"]
    assert "agreements.registry.services" in graph["agreements.services.walk"]
    # Reaching into another package runs that package's __init__ first.
    assert "agreements.registry.services" in graph["agreements.registry.management.commands.rebuild_registry_stats"]
    # The registry refers to the case workflow by string foreign keys only.
    assert "agreements.models" not in graph["agreements.registry.models"]


@pytest.mark.unit
def test_no_import_cycle_between_project_modules():
    cycle = find_cycle(import_graph(project_modules()))
    assert cycle is None, "Import cycle: " + " → ".join(cycle)


_IMPORT_EACH = """
import importlib, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
import django
django.setup()
failed = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception as error:
        failed.append(f"{name}: {type(error).__name__}: {error}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def _fresh_import(names: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, *names], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_every_module_of_every_app_imports_in_a_fresh_interpreter():
    """Each app's modules, each app in its own interpreter, so that no module relies on another app having
    been imported first (``django.setup()`` imports the models and the app configs, nothing else)."""
    modules = sorted(project_modules())
    failures = []
    for package in PACKAGES:
        names = [m for m in modules if m == package or m.startswith(package + ".")]
        result = _fresh_import(names)
        if result.returncode:
            failures.append(result.stdout + result.stderr[-2000:])
    assert not failures, "\n".join(failures)


def test_a_module_that_fails_to_import_is_reported():
    result = _fresh_import(["agreements.registry.no_such_module"])
    assert result.returncode == 1 and "agreements.registry.no_such_module" in result.stdout
