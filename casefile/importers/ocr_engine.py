"""Which Tesseract models are installed, which to read a page with, and how to say what is missing.

English (and the script detector, ``osd``) come with Casefile as packages installed into
``<prefix>/share/tessdata``. Other languages are found where Debian's ``tesseract-ocr-LANG``
packages put them (``/usr/share/tesseract-ocr/*/tessdata``), in ``$TESSDATA_PREFIX``, and
first of all in ``$CASEFILE_TESSDATA``. Tesseract reads models from one folder, so a private
folder of links to every installed model is assembled in the user's cache.

Each page's script is detected (Tesseract's OSD); the page is then read with the installed
languages for that script (``plan``). ``CASEFILE_OCR_LANGS`` (e.g. ``rus+tgk``) puts languages
first in their script; a document can be read again with languages chosen by the analyst.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import site
import sys
from pathlib import Path

log = logging.getLogger(__name__)
DEFAULT_LANGS = "eng"
LOW_CONFIDENCE = 60  # words Tesseract is less sure of than this (0–100) are marked in the view

# Languages per script, the likelier in a Casefile analyst's sources first (Tesseract codes,
# Debian packages ``tesseract-ocr-<code with - for _>``). Scripts as OSD and Unicode name them.
SCRIPT_LANGS: dict[str, tuple[str, ...]] = {
    "LATIN": ("eng", "fra", "deu", "tur", "uzb", "spa", "ita", "por", "nld", "pol", "aze",
              "tuk", "ces", "ron", "hun", "swe", "fin", "dan", "nor", "ind", "vie"),
    "CYRILLIC": ("rus", "tgk", "ukr", "kaz", "kir", "uzb_cyrl", "bel", "bul", "srp", "mkd",
                 "mon", "tat", "bak"),
    "ARABIC": ("ara", "fas", "urd", "pus", "uig", "snd", "kur_ara"),
    "HEBREW": ("heb", "yid"),
    "GREEK": ("ell",),
    "ARMENIAN": ("hye",),
    "GEORGIAN": ("kat",),
    "DEVANAGARI": ("hin", "mar", "nep", "san"),
    "HAN": ("chi_sim", "chi_tra"),
    "HANGUL": ("kor",),
    "JAPANESE": ("jpn",),
    "THAI": ("tha",),
}
NAMES = {
    "eng": "English", "fra": "French", "deu": "German", "tur": "Turkish", "uzb": "Uzbek",
    "spa": "Spanish", "ita": "Italian", "por": "Portuguese", "nld": "Dutch", "pol": "Polish",
    "aze": "Azerbaijani", "tuk": "Turkmen", "rus": "Russian", "tgk": "Tajik",
    "ukr": "Ukrainian", "kaz": "Kazakh", "kir": "Kyrgyz", "uzb_cyrl": "Uzbek (Cyrillic)",
    "bel": "Belarusian", "bul": "Bulgarian", "srp": "Serbian", "mkd": "Macedonian",
    "mon": "Mongolian", "tat": "Tatar", "bak": "Bashkir", "ara": "Arabic", "fas": "Persian",
    "urd": "Urdu", "pus": "Pashto", "uig": "Uyghur", "heb": "Hebrew", "ell": "Greek",
    "hye": "Armenian", "kat": "Georgian", "hin": "Hindi", "chi_sim": "Chinese (simplified)",
    "chi_tra": "Chinese (traditional)", "kor": "Korean", "jpn": "Japanese", "tha": "Thai",
}
_OSD_SCRIPTS = {"Latin": "LATIN", "Cyrillic": "CYRILLIC", "Arabic": "ARABIC",
                "Hebrew": "HEBREW", "Greek": "GREEK", "Armenian": "ARMENIAN",
                "Georgian": "GEORGIAN", "Devanagari": "DEVANAGARI", "Han": "HAN",
                "HanS": "HAN", "HanT": "HAN", "Hangul": "HANGUL", "Japanese": "JAPANESE",
                "Katakana": "JAPANESE", "Hiragana": "JAPANESE", "Thai": "THAI"}


def script_of_osd(name: str) -> str:
    """The script name Casefile uses for one OSD reports ("Cyrillic" → "CYRILLIC")."""
    return _OSD_SCRIPTS.get(name, name.upper())


def script_of_languages(langs: list[str] | tuple[str, ...]) -> str:
    """The script languages chosen by the analyst are read in (the first not Latin one's,
    else "LATIN"; "" when Casefile does not know them)."""
    scripts = [s for lang in langs for s, own in SCRIPT_LANGS.items() if lang in own]
    return next((s for s in scripts if s != "LATIN"), scripts[0] if scripts else "")


def package(lang: str) -> str:
    """The Debian/Ubuntu package holding a language's model."""
    return "tesseract-ocr-" + lang.replace("_", "-").lower()


def name_of(lang: str) -> str:
    return NAMES.get(lang, lang)


def _folders() -> list[Path]:
    """Where models are looked for, the first place winning for each language."""
    out = []
    for var in ("CASEFILE_TESSDATA", "TESSDATA_PREFIX"):
        if os.environ.get(var):
            d = Path(os.environ[var])
            out += [d, d / "tessdata"]
    for prefix in (sys.prefix, sys.base_prefix, getattr(site, "USER_BASE", "") or ""):
        if prefix:
            out.append(Path(prefix) / "share" / "tessdata")
    system = Path("/usr/share/tesseract-ocr")
    if system.is_dir():
        out += sorted(system.glob("*/tessdata"), reverse=True)  # the newest Tesseract first
    out += [Path("/usr/share/tessdata"), Path("/usr/local/share/tessdata")]
    return out


def installed() -> dict[str, Path]:
    """Every installed model: language code → its ``.traineddata`` file."""
    out: dict[str, Path] = {}
    for d in _folders():
        try:
            files = sorted(d.glob("*.traineddata")) if d.is_dir() else []
        except OSError:
            continue
        for f in files:
            out.setdefault(f.stem, f)
    return out


def _cache_root() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("Casefile")) / "tessdata"


def tessdata_dir(models: dict[str, Path] | None = None) -> str:
    """One folder holding every installed model (a folder of links in the user's cache when
    they lie in several places), with a trailing separator as Tesseract wants it; "" when
    not even English is installed."""
    models = installed() if models is None else models
    if "eng" not in models:
        return ""
    folders = {p.parent for p in models.values()}
    if len(folders) == 1:
        return str(folders.pop()) + os.sep
    digest = hashlib.sha256(repr(sorted((k, str(v)) for k, v in models.items()))
                            .encode()).hexdigest()[:16]
    target = _cache_root() / digest
    if not target.is_dir():
        tmp = target.with_name(f"{digest}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for lang, src in models.items():
            try:
                (tmp / f"{lang}.traineddata").symlink_to(src)
            except OSError:  # no links here (some Windows set-ups): a copy
                shutil.copyfile(src, tmp / f"{lang}.traineddata")
        try:
            tmp.rename(target)
        except OSError:  # another process made it meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
    return str(target) + os.sep


def preferred() -> list[str]:
    """The languages the analyst put first (``CASEFILE_OCR_LANGS``), in order."""
    return [x for x in os.environ.get("CASEFILE_OCR_LANGS", "").strip().split("+") if x]


def languages() -> str:
    """The languages a page is read with when its script cannot be told."""
    have = installed()
    chosen = [x for x in preferred() if x in have]
    return "+".join(chosen) if chosen else DEFAULT_LANGS


def for_script(script: str, have: dict[str, Path] | None = None) -> list[str]:
    """The installed languages to read a page in ``script`` with: the analyst's preferred
    ones of that script, else the likeliest installed one; English is added for a page in
    another script (names and terms in Latin letters). Empty when none is installed."""
    have = installed() if have is None else have
    own = SCRIPT_LANGS.get(script, ())
    chosen = [x for x in preferred() if x in have and x in own]
    if not chosen:
        chosen = [x for x in own if x in have][:1]
    if not chosen:
        return []
    if script not in ("LATIN", "ARABIC") and "eng" in have:
        chosen.append("eng")  # Arabic: the OCR reads unsure words again in English instead
    return chosen


def plan(have: dict[str, Path] | None = None) -> dict[str, str]:
    """Script → "lang+lang" for every script with an installed language, and "" → the
    languages for a page whose script is unknown (what the OCR worker receives)."""
    have = installed() if have is None else have
    out = {s: "+".join(langs) for s in SCRIPT_LANGS if (langs := for_script(s, have))}
    out[""] = languages()
    return out


def missing_for(script: str) -> str:
    """The language to install to read ``script`` ("" when Casefile knows none)."""
    own = SCRIPT_LANGS.get(script, ())
    return own[0] if own else ""


def check_languages(langs: list[str]) -> None:
    """Refuse languages that are not installed, saying which packages add them."""
    from casefile.errors import ValidationError

    have = installed()
    missing = [x for x in langs if x not in have]
    if missing:
        raise ValidationError(
            "no OCR model for " + ", ".join(f"{name_of(x)} ({x})" for x in missing)
            + "; install " + " ".join(package(x) for x in missing)
            + " (or put its .traineddata in the folder CASEFILE_TESSDATA names)")


def describe(langs: list[str], missing: list[str] = ()) -> str:
    """For the import message and Document details: "read by OCR in Russian and English
    (rus+eng); no OCR model for Arabic is installed (install tesseract-ocr-ara, then
    Re-OCR)"."""
    out = ("read by OCR in " + _and([name_of(x) for x in langs]) + f" ({'+'.join(langs)})"
           if langs else "read by OCR")
    if missing:
        out += ("; no OCR model for " + _and([name_of(x) for x in missing]) + " is installed"
                " (install " + " ".join(package(x) for x in missing) + ", then Re-OCR)")
    return out


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def version_note(version: str, langs: list[str], missing: list[str]) -> str:
    """What a scan's ``extractor_version`` records: "5.5.4 lang=rus+eng[ missing=ara]"."""
    out = f"{version} lang={'+'.join(langs)}".strip()
    return out + (f" missing={'+'.join(missing)}" if missing else "")


def read_version_note(value: str) -> tuple[list[str], list[str]]:
    """The languages and missing languages ``version_note`` recorded."""
    langs: list[str] = []
    missing: list[str] = []
    for part in value.split():
        if part.startswith("lang="):
            langs = [x for x in part[5:].split("+") if x]
        elif part.startswith("missing="):
            missing = [x for x in part[8:].split("+") if x]
    return langs, missing


def document_note(extractor: str, extractor_version: str) -> str:
    """What Document details say about a scan's reading ("" for a document not read by OCR)."""
    if extractor != "tesseract":
        return ""
    note = describe(*read_version_note(extractor_version))
    return note[:1].upper() + note[1:]


def missing_model_message() -> str:
    return ("the English OCR model is not installed (looked in "
            + ", ".join(str(d) for d in _folders()) + "); reinstall Casefile")
