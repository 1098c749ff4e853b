"""How long the balanced-feedback helper takes on long, repetitive texts (it runs as people type).

    .venv/bin/python bench/balanced.py

A rule that backtracks badly shows here as seconds instead of milliseconds.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CHUNKS = ("a ", "total ", "I am so ", "I should ", "worst ", "nothing went ")
LENGTH = 20_000


def main() -> None:
    import django

    django.setup()
    from apps.contacts.balanced import review

    for chunk in CHUNKS:
        text = chunk * (LENGTH // len(chunk))
        started = time.perf_counter()
        review(text)
        print(f"{chunk!r:>16} x {LENGTH // len(chunk):>6}: {(time.perf_counter() - started) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
