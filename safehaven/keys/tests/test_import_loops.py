"""No module of the project is in an import loop (issue 15: the last one ran from the team
key actions through the task module back to the actions). Imports inside functions count:
they hide a loop, they do not remove it. Tests are left out, they import freely."""

import grimp


def _production_import_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph("safehaven", cache_dir=None)
    modules = {m for m in graph.modules if ".tests" not in m}
    return {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}


def _loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = lowest[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = lowest[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    lowest[module] = min(lowest[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowest[parent] = min(lowest[parent], lowest[module])
            if lowest[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    loops.append(sorted(component))
    return loops


def test_it_finds_a_loop_when_there_is_one():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _loops(edges) == [["a", "b", "c"]]


def test_it_has_no_import_loop():
    assert _loops(_production_import_graph()) == []
