"""The words codenames are drawn from: the EFF Large Wordlist minus the words a person would not
want found on a paper in their pocket (``data/SOURCE.md``).

Three files in ``data/``: the EFF list as published (``eff_large_wordlist.txt``, never edited),
the words taken out with the reason for each (``codename_removals.txt``) and the list codenames
use (``codename_wordlist.txt``), which is the first minus the second, in the EFF order. After
changing the removals, rebuild the list with::

    .venv/bin/python -m safehaven.intake.codename_words

A test checks that the stored list is exactly what this builds. Plain Python, no Django: the
command runs without settings.
"""

import math
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
EFF_WORDLIST_PATH = DATA_DIR / "eff_large_wordlist.txt"
REMOVALS_PATH = DATA_DIR / "codename_removals.txt"
CODENAME_WORDLIST_PATH = DATA_DIR / "codename_wordlist.txt"

# Why a word was taken out (the second column of the removals file).
REMOVAL_REASONS = frozenset(
    {
        "alcohol",
        "crime",
        "death",
        "drugs",
        "escape",
        "gender",
        "illness",
        "insult",
        "other",
        "politics",
        "religion",
        "sex",
        "sexuality",
        "state",
        "travel",
        "violence",
        "weapons",
    }
)


def read_words(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


def read_removals(path: Path = REMOVALS_PATH) -> dict[str, str]:
    """Each removed word with its reason; refuses an unknown reason or a word given twice."""
    removals: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        word, _tab, reason = line.partition("\t")
        if reason not in REMOVAL_REASONS or word in removals or word != word.strip():
            raise ValueError(f"{path.name}, line {number}: expected 'word<TAB>reason' once")
        removals[word] = reason
    return removals


def curated_words(original: list[str], removals: dict[str, str]) -> list[str]:
    """``original`` without the removed words; every removed word must be in ``original``
    (a misspelt removal would silently leave the word it meant in)."""
    unknown = sorted(set(removals) - set(original))
    if unknown:
        raise ValueError(f"removals not in the EFF list: {', '.join(unknown)}")
    return [word for word in original if word not in removals]


def bits(words_per_codename: int, list_size: int) -> float:
    """Strength of a codename of ``words_per_codename`` words drawn uniformly from a list."""
    return words_per_codename * math.log2(list_size)


def build() -> list[str]:
    return curated_words(read_words(EFF_WORDLIST_PATH), read_removals())


def main() -> int:
    words = build()
    CODENAME_WORDLIST_PATH.write_text("\n".join(words) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"{CODENAME_WORDLIST_PATH}: {len(words)} words, {bits(1, len(words)):.2f} bits each\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
