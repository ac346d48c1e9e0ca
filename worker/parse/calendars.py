"""Calendar arithmetic: Solar Hijri (Jalali), tabular Hijri and Thai Buddhist-era dates to
Gregorian, local digits to ASCII.

Pure arithmetic, no tables to download: the Jalali conversion is the 33-year-break algorithm
(exact for years 1-3177); the lunar Hijri one is the tabular (civil) calendar, which can
differ from the Umm al-Qura or sighted calendar by a day or two.
"""

from __future__ import annotations

from datetime import date, timedelta

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits, plus the separators that come with them;
# Devanagari, Bengali and Thai digits.
_DIGITS = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
_DIGITS.update({ord(c): str(i) for i, c in enumerate("०१२३४५६७८९")})  # Devanagari
_DIGITS.update({ord(c): str(i) for i, c in enumerate("০১২৩৪৫৬৭৮৯")})  # Bengali
_DIGITS.update({ord(c): str(i) for i, c in enumerate("๐๑๒๓๔๕๖๗๘๙")})  # Thai
_DIGITS.update({ord("٫"): ".", ord("٬"): ",", ord("،"): ",", ord("٪"): "%"})

_JALALI_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097,
                  2192, 2262, 2324, 2394, 2456, 3178)  # fmt: skip
_ISLAMIC_EPOCH_ORDINAL = date(622, 7, 19).toordinal()  # 1 Muharram 1 AH, civil reckoning
_BUDDHIST_ERA_OFFSET = 543


def ascii_digits(text: str) -> str:
    """Replace Persian, Arabic-Indic, Devanagari, Bengali and Thai digits (and the Arabic decimal
    separators) with ASCII ones."""
    return text.translate(_DIGITS)


def _jalali_march_day(jy: int) -> int:
    """Day of March on which Farvardin 1 of Jalali year `jy` falls."""
    gy = jy + 621
    leap_j = -14
    jp = _JALALI_BREAKS[0]
    jump = 0
    for jm in _JALALI_BREAKS[1:]:
        jump = jm - jp
        if jy < jm:
            break
        leap_j += (jump // 33) * 8 + (jump % 33) // 4
        jp = jm
    n = jy - jp
    leap_j += (n // 33) * 8 + ((n % 33) + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    leap_g = gy // 4 - ((gy // 100 + 1) * 3) // 4 - 150
    return 20 + leap_j - leap_g


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date:
    """Gregorian date of Solar Hijri `jy/jm/jd` (months 1-6 have 31 days, 7-11 30, 12 29/30)."""
    if not (1 <= jm <= 12 and 1 <= jd <= 31) or not (1 <= jy < 3178):
        raise ValueError(f"not a Solar Hijri date: {jy}/{jm}/{jd}")
    if jm > 6 and jd > 30:
        raise ValueError(f"month {jm} has at most 30 days")
    nowruz = date(jy + 621, 3, _jalali_march_day(jy))
    offset = (jm - 1) * 31 - max(0, jm - 7) + jd - 1
    return nowruz + timedelta(days=offset)


def hijri_to_gregorian(hy: int, hm: int, hd: int) -> date:
    """Gregorian date of lunar Hijri `hy/hm/hd` by the tabular civil calendar."""
    if not (1 <= hm <= 12 and 1 <= hd <= 30) or hy < 1:
        raise ValueError(f"not a Hijri date: {hy}/{hm}/{hd}")
    days = (hd - 1) + (59 * (hm - 1) + 1) // 2 + (hy - 1) * 354 + (3 + 11 * hy) // 30
    return date.fromordinal(_ISLAMIC_EPOCH_ORDINAL + days)


def thai_to_gregorian(year: int, month: int, day: int) -> date:
    """Gregorian date of a Thai solar date: Gregorian months, years of the Buddhist era
    (BE 2567 = CE 2024) since 1941. A year before 2400 is already a Common-era one, as Thai
    pages sometimes write."""
    return date(year - _BUDDHIST_ERA_OFFSET if year >= 2400 else year, month, day)


def year_calendar(year: int, language: str | None = None) -> str:
    """Which calendar a 4-digit year in 1300-1500 most likely belongs to: 'jalali' or 'hijri'.

    Plausible news years do not overlap: Solar Hijri 1369-1405 and lunar Hijri 1410-1448 both
    cover 1990 to today. A Persian/Dari/Pashto page tips the balance only in the gap.
    """
    if year < 1408:
        return "jalali"
    if year > 1408:
        return "hijri"
    return "jalali" if language in ("fa", "ps", "prs") else "hijri"
