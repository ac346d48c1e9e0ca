"""The article's language: what the page declares, checked against what its text looks like."""

from __future__ import annotations

import re
from functools import lru_cache

_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
# Codes py3langid or pages use that differ from the ISO 639-1 code we store.
_ALIASES = {"prs": "fa", "pes": "fa", "per": "fa", "ger": "de", "deu": "de", "eng": "en", "fre": "fr",
            "fra": "fr", "spa": "es", "jp": "ja", "cn": "zh", "iw": "he", "in": "id", "nb": "no", "nn": "no"}  # fmt: skip


def normalise_code(value: str | None) -> str | None:
    """'en-GB' -> 'en', 'de_DE' -> 'de'; None for anything that is not a language tag."""
    if not value:
        return None
    match = _CODE.match(value.strip())
    if not match:
        return None
    code = match.group(1).lower()
    code = _ALIASES.get(code, code)
    return code if len(code) == 2 else None


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, sample_chars: int = 1200) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) of `text` by py3langid, or (None, 0) for too little text.
    py3langid walks the text byte by byte in Python, so only a sample is read."""
    sample = text[:sample_chars]
    if len(sample.strip()) < 20:
        return None, 0.0
    code, probability = _identifier().classify(sample)
    return normalise_code(code), float(probability)


_NON_LATIN = frozenset(
    {"ar", "fa", "ps", "ur", "he", "ru", "uk", "bg", "sr", "mk", "be", "kk", "el", "hy", "ka",
     "hi", "mr", "ne", "bn", "pa", "gu", "ta", "te", "kn", "ml", "si", "th", "lo", "km", "my",
     "zh", "ja", "ko", "am"}
)  # fmt: skip


# The letters (str.isalpha) below U+0250: Latin, with its Latin-1 and Extended-A/B letters.
_LATIN_LETTER = re.compile("[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


def _script_fits(language: str, sample: str) -> bool:
    """Whether the sample's letters are in the script the language is written in (Latin or not)."""
    letters = sum(map(str.isalpha, sample))
    if letters < 20:
        return True
    latin = len(_LATIN_LETTER.findall(sample)) / letters
    return latin < 0.5 if language in _NON_LATIN else latin > 0.8


_ENGLISH_WORDS = frozenset({"the", "and", "of", "to", "in", "is", "that", "for", "was", "with"})


def _looks_english(sample: str) -> bool:
    """Enough of the commonest English function words: an "en" declaration is then believed
    without running the detector (its cost is mostly a fixed matrix product per call)."""
    words = sample.lower().split()
    return len(words) >= 30 and sum(1 for w in words if w in _ENGLISH_WORDS) >= 0.12 * len(words)


def choose_language(declared: str | None, text: str) -> tuple[str | None, str]:
    """The language to store and the rule that chose it.

    The declaration wins unless the text is long and the detector is confident it is something
    else (templates often declare a site-wide default such as 'en'). A short sample is checked
    first; only a disagreement pays for a longer one."""
    declared = normalise_code(declared)
    if declared:
        if len(text) < 400:
            return declared, "declared"
        if declared != "en" and _script_fits(declared, text[:300]):
            # Site-wide template defaults are nearly always "en"; another declaration whose
            # script matches the text is trusted without paying for detection.
            return declared, "declared"
        if declared == "en" and _looks_english(text[:400]):
            return declared, "declared"
        detected, probability = detect(text, 300)
        if detected in (None, declared) or probability < 0.9:
            return declared, "declared"
        detected, probability = detect(text, 1500)
        if detected in (None, declared) or probability < 0.95:
            return declared, "declared"
        return detected, f"detected (p={probability:.2f}), declared {declared}"
    detected, probability = detect(text, 600)
    if detected:
        return detected, f"detected (p={probability:.2f})"
    return None, "none"
