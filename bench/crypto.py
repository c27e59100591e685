"""Micro-benchmark of safehaven.core.crypto: field sealing and HPKE key wrapping.

Run from the repository root: ``.venv/bin/python bench/crypto.py``. Prints exactly two lines:
``BENCH seal_open_us <µs>`` (seal + open of a 2 KB field) and ``BENCH wrap_unwrap_us <µs>``
(HPKE wrap + unwrap of a 32-byte data key).
"""

import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

# Running as a script puts bench/ on sys.path, not the repository root that holds safehaven/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safehaven.core.crypto import (
    new_data_key,
    new_key_pair,
    open_field,
    seal_field,
    unwrap_key,
    wrap_key,
)

SEAL_ITERATIONS = 20_000
WRAP_ITERATIONS = 2_000


def per_call_us(operation: Callable[[], None], iterations: int) -> float:
    for _ in range(iterations // 20):  # warm up caches and the allocator
        operation()
    start = time.perf_counter()
    for _ in range(iterations):
        operation()
    return (time.perf_counter() - start) / iterations * 1e6


def main() -> None:
    data_key = new_data_key()
    record_id = uuid.uuid4()
    field = bytes(range(256)) * 8  # 2 KB
    pair = new_key_pair()
    info = f"record:{record_id}".encode()

    def seal_open() -> None:
        sealed = seal_field(data_key, "k1", record_id, "notes", field)
        assert open_field(data_key, record_id, "notes", sealed) == field

    def wrap_unwrap() -> None:
        wrapped = wrap_key(pair.public, data_key, info)
        assert unwrap_key(pair.private, wrapped, info) == data_key

    print(f"BENCH seal_open_us {per_call_us(seal_open, SEAL_ITERATIONS):.1f}")
    print(f"BENCH wrap_unwrap_us {per_call_us(wrap_unwrap, WRAP_ITERATIONS):.1f}")


if __name__ == "__main__":
    main()
