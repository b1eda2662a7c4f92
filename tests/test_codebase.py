"""The package's own code as the build reads it: its import graph has no cycle."""

from analysis import codebase


def _cycles() -> list[list[str]]:
    """The package's strongly connected modules (Tarjan), imports inside functions included."""
    graph = {module: set(codebase._direct_imports(module)) - {module} for module in codebase.sources()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_in_the_package():
    assert _cycles() == []


def test_the_cycle_finder_finds_one(monkeypatch):
    real = codebase._direct_imports
    monkeypatch.setattr(codebase, "_direct_imports", lambda module: real(module) | (
        {"analysis.claims"} if module == "analysis.tracking" else set()))
    assert ["analysis.claims", "analysis.tracking"] in _cycles()


def test_a_chart_quoting_claims_does_not_depend_on_the_computations():
    from analysis.charts import charts
    for chart_id, chart in charts().items():
        assert "analysis.measures" not in codebase.dependencies(chart.load.__module__), chart_id
