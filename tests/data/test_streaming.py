import time
import tracemalloc

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from apps.portability import exporter
from tests.data.builders import build_heavy_account

pytestmark = pytest.mark.django_db

EXPORT_JSON = reverse("portability:export_json")
APPLICATIONS = 600
# One chunk of rows from the database (ROWS_PER_CHUNK rows of the fattest table,
# about 1.6 KB of JSON each and some three times that as Python objects: about
# 1.2 MB), one piece of output (64 KB) and the query machinery (about 0.3 MB).
# Building the document in memory instead would need more than the whole
# download (4.7 MB here) as bytes alone.
PEAK_BOUND = 2 * 1024 * 1024


def read_download(response: StreamingHttpResponse) -> tuple[int, int, float, int]:
    """Bytes read, the largest piece, seconds taken, and the peak of Python memory while reading."""
    tracemalloc.start()
    started = time.perf_counter()
    size = largest = 0
    try:
        for piece in response.streaming_content:
            size += len(piece)
            largest = max(largest, len(piece))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return size, largest, time.perf_counter() - started, peak


def test_a_heavy_account_downloads_in_pieces_with_flat_memory(visitors):
    build_heavy_account(visitors.owner_user, applications=APPLICATIONS)

    response = visitors.owner.get(EXPORT_JSON)
    assert isinstance(response, StreamingHttpResponse)
    assert response.streaming
    size, largest, seconds, peak = read_download(response)

    rows = f"{APPLICATIONS} applications, {APPLICATIONS * 2} interviews, {APPLICATIONS * 6} reminders"
    print(
        f"\nexport of {rows}: {size / 1e6:.2f} MB in {seconds:.2f} s (under tracemalloc), "
        f"peak Python memory {peak / 1e6:.2f} MB"
    )
    assert size > 4_000_000
    assert largest < exporter.PIECE_SIZE + 8 * 1024
    assert peak < PEAK_BOUND
    assert peak < size / 2
