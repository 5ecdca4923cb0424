"""Memory of an import is bounded by the shape of one item, not by the file: 20 MiB of small objects (which added
over 500 MB to a worker when the file was parsed whole) stay far under 100 MB, measured with tracemalloc."""

import json
import tracemalloc

import pytest

from journal.backup.importer import ImportFileError, import_account
from journal.models import Session

pytestmark = pytest.mark.django_db
GOAL_MB = 100
SIZE = 20 * 1024 * 1024


def small_sessions_file(size: int) -> bytes:
    """About `size` bytes of valid small sessions; the last one is wrong, so the whole file is checked and nothing
    is written."""
    session = {
        "routine_name": "R",
        "started_at": "2026-01-01T08:00:00+00:00",
        "local_date": "2026-01-01",
        "last_activity_at": "2026-01-01T08:00:00+00:00",
        "status": "completed",
        "safety_check": "no",
        "plan": [{"side": "left", "hold_seconds": 30}, {"side": "right", "hold_seconds": 30}],
    }
    one = json.dumps(session, separators=(",", ":")).encode()
    count = size // (len(one) + 1)
    bad = json.dumps({**session, "status": "wrong"}, separators=(",", ":")).encode()
    return b'{"format":"tenderspot-journal","version":1,"sessions":[' + b",".join([one] * count + [bad]) + b"]}"


def tiny_objects_file(size: int) -> bytes:
    """One session whose plan is `size` bytes of empty objects."""
    head = b'{"format":"tenderspot-journal","version":1,"sessions":[{"plan":['
    return head + b",".join([b"{}"] * (size // 3)) + b"]}]}"


@pytest.mark.parametrize("make", [small_sessions_file, tiny_objects_file])
def test_a_20_mib_file_of_small_objects_stays_under_100_mb(owner, make):
    payload = make(SIZE)
    assert len(payload) >= SIZE * 0.95
    tracemalloc.start()
    try:
        baseline, _ = tracemalloc.get_traced_memory()
        with pytest.raises(ImportFileError):
            import_account(owner, payload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    growth_mb = (peak - baseline) / (1024 * 1024)
    print(f"\n{make.__name__}: {len(payload) / 2**20:.1f} MiB file, peak growth {growth_mb:.1f} MB")
    assert growth_mb < GOAL_MB
    assert not Session.objects.filter(user=owner).exists()
