"""How well the balanced-feedback helper judges, and how long it takes on long texts.

    .venv/bin/python bench/balanced.py

1. On the labelled sentences (tests/contacts/balanced_sentences.py): precision, recall,
   the four counts, and every sentence it gets wrong, with the rules that fired.
2. On long, repetitive texts (it runs as people type): a rule that backtracks badly
   shows here as seconds instead of milliseconds.

The helper is plain Python: no database or Django settings are needed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHUNKS = ("a ", "total ", "I am so ", "I should ", "worst ", "nothing went ", "I always ", "I never get ")
LENGTH = 20_000


def labelled_report() -> None:
    from apps.contacts.balanced import review
    from tests.contacts.balanced_sentences import LABELLED

    counts = {"TP": 0, "FP": 0, "FN": 0, "TN": 0}
    wrong: list[tuple[str, str, list[str]]] = []
    for sentence, harsh in LABELLED:
        keys = [flag.key for flag in review(sentence)]
        outcome = ("T" if bool(keys) == harsh else "F") + ("P" if keys else "N")
        counts[outcome] += 1
        if outcome in ("FP", "FN"):
            wrong.append((outcome, sentence, keys))
    flagged = counts["TP"] + counts["FP"]
    harsh_total = counts["TP"] + counts["FN"]
    precision = counts["TP"] / flagged if flagged else 0.0
    recall = counts["TP"] / harsh_total if harsh_total else 0.0
    fine_total = len(LABELLED) - harsh_total
    print(f"Labelled sentences: {len(LABELLED)} ({harsh_total} self-deprecating, {fine_total} fine)")
    print(f"precision {precision:.3f}   recall {recall:.3f}")
    print("   ".join(f"{name} {count}" for name, count in counts.items()))
    print("Misclassified:" if wrong else "Misclassified: none")
    for outcome, sentence, keys in wrong:
        fired = f"  [{', '.join(keys)}]" if keys else ""
        print(f"  {outcome}  {sentence!r}{fired}")


def timing_report() -> None:
    from apps.contacts.balanced import review

    print(f"Long texts ({LENGTH:,} characters):")
    for chunk in CHUNKS:
        text = chunk * (LENGTH // len(chunk))
        started = time.perf_counter()
        review(text)
        print(f"{chunk!r:>16} x {LENGTH // len(chunk):>6}: {(time.perf_counter() - started) * 1000:7.1f} ms")


def main() -> None:
    labelled_report()
    print()
    timing_report()


if __name__ == "__main__":
    main()
