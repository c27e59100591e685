"""Run every benchmark in ``bench/`` and sum up their figures: what ``make bench`` runs.

A benchmark is a script here with a main (``if __name__ == "__main__":``), found by reading
the files, so a new one joins without being listed. Each runs in turn from the repository
root with this Python and the caller's environment; its ``BENCH <name> <value>...`` lines and
anything else it prints on stdout are echoed as they come, its stderr passes straight
through. At the end a table lists every figure with its target where one is known (the
README's Benchmarks table and the scripts' docstrings), then each script's time and outcome.
No figure is a gate: a target missed is shown, not fatal. A script that exits with an error,
or prints no figure, is a failure: the others still run, and this exits with status 1 after
the table.

Options: ``--quick`` runs the scripts that have one with their quickest options
(``QUICK_OPTIONS``; the rest as usual), to see that everything runs rather than to measure;
``--only NAME...`` runs only the named scripts (``surge`` or ``surge.py``).
"""

import argparse
import operator
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
_MAIN = re.compile(r"""^if __name__ == ["']__main__["']:""", re.MULTILINE)

# The quickest run of a script that has options for one: minutes, not figures to compare.
QUICK_OPTIONS: dict[str, list[str]] = {
    "intake.py": ["--sizes-only"],
    "surge.py": ["--requests", "300", "--clients", "30", "--max-seconds", "120"],
}

_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">=": operator.ge,
    "=": operator.eq,
}


@dataclass(frozen=True)
class Target:
    comparison: str  # a key of _COMPARISONS
    value: float

    def __str__(self) -> str:
        return f"{self.comparison} {self.value:g}"

    def met_by(self, figure: float) -> bool:
        return _COMPARISONS[self.comparison](figure, self.value)


# From the README's Benchmarks table and the scripts' docstrings (the 2-core machine).
TARGETS: dict[str, Target] = {
    "intake_per_s": Target(">=", 120),
    "intake_vs_floor": Target(">=", 0.3),
    "intake_page_bytes": Target("<=", 30_000),
    "queue_p95_ms": Target("<", 100),
    "case_p95_ms": Target("<", 100),
    "route_median_ms": Target("<", 20),
    "route_p95_ms": Target("<", 100),
    "dashboard_ms": Target("<", 300),
    "import_1000_s": Target("<", 5),
    "surge_lost": Target("=", 0),
}


@dataclass(frozen=True)
class Figure:
    script: str
    name: str
    values: tuple[str, ...]

    @property
    def target(self) -> Target | None:
        return TARGETS.get(self.name)

    def verdict(self) -> str:
        """Whether the figure meets its target; empty without a target or a number."""
        if self.target is None:
            return ""
        try:
            figure = float(self.values[0])
        except ValueError:
            return ""
        return "met" if self.target.met_by(figure) else "MISSED"


@dataclass
class Run:
    script: str
    seconds: float = 0.0
    returncode: int = 0
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def benchmark_scripts() -> list[Path]:
    """Every script in bench/ with a main, this runner left out, by name."""
    return sorted(
        path
        for path in BENCH_DIR.glob("*.py")
        if path.name != Path(__file__).name and _MAIN.search(path.read_text(encoding="utf-8"))
    )


def parse_bench_line(script: str, line: str) -> Figure | None:
    """The figure of a ``BENCH <name> <value>...`` line; None for a malformed one."""
    parts = line.split()
    if len(parts) < 3 or parts[0] != "BENCH":
        return None
    return Figure(script, parts[1], tuple(parts[2:]))


def run_script(script: Path, options: Sequence[str]) -> Run:
    run = Run(script.name)
    command = [sys.executable, str(script), *options]
    print(f"=== {script.name} {' '.join(options)}".rstrip(), flush=True)
    started = time.perf_counter()
    # stderr is inherited: progress shows as it happens, and nothing is kept here.
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if not line.startswith("BENCH"):
                continue
            figure = parse_bench_line(script.name, line)
            if figure is None:
                run.problems.append(f"malformed line: {line.strip()!r}")
            else:
                run.figures.append(figure)
    run.seconds = time.perf_counter() - started
    run.returncode = process.returncode
    if run.returncode != 0:
        run.problems.append(f"exited with status {run.returncode}")
    if not run.figures:
        run.problems.append("printed no BENCH line")
    return run


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def summary(runs: Sequence[Run]) -> str:
    figures = [["script", "figure", "value", "target", ""]]
    for run in runs:
        for figure in run.figures:
            target = figure.target
            figures.append(
                [
                    figure.script,
                    figure.name,
                    " ".join(figure.values),
                    "" if target is None else str(target),
                    figure.verdict(),
                ]
            )
    scripts = [["script", "seconds", "outcome"]]
    for run in runs:
        outcome = "FAILED: " + "; ".join(run.problems) if run.failed else "ok"
        scripts.append([run.script, f"{run.seconds:.0f}", outcome])
    parts = ["", "=== summary", table(scripts)]
    if len(figures) > 1:
        parts[2:2] = [table(figures), ""]
    return "\n".join(parts)


def chosen_scripts(names: Sequence[str] | None) -> list[Path]:
    scripts = benchmark_scripts()
    if not names:
        return scripts
    by_name = {script.stem: script for script in scripts}
    unknown = [name for name in names if name.removesuffix(".py") not in by_name]
    if unknown:
        raise SystemExit(
            f"no benchmark named {', '.join(unknown)}; there are: {', '.join(sorted(by_name))}"
        )
    return list(dict.fromkeys(by_name[name.removesuffix(".py")] for name in names))


def main(arguments: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark in bench/ and sum up.")
    parser.add_argument(
        "--quick", action="store_true", help="the quickest options where a script has them"
    )
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scripts")
    options = parser.parse_args(arguments)
    runs = []
    for script in chosen_scripts(options.only):
        script_options = QUICK_OPTIONS.get(script.name, []) if options.quick else []
        runs.append(run_script(script, script_options))
    print(summary(runs), flush=True)
    failed = [run.script for run in runs if run.failed]
    if failed:
        print(f"{len(failed)} of {len(runs)} benchmarks failed: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
