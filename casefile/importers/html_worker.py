"""Child process for large web pages: caps its memory, extracts, prints JSON (see sandbox)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from casefile.importers.pdf_worker import cap_memory

    cap_memory(int(sys.argv[1]))
    data = sys.stdin.buffer.read()
    try:
        from casefile.errors import ImportFailed
        from casefile.importers.html import extract_fields

        try:
            result: dict = {"ok": extract_fields(data)}
        except ImportFailed as exc:
            result = {"error": str(exc)}
    except MemoryError:
        result = {"error": "reading this web page needed more memory than allowed; refused"}
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
