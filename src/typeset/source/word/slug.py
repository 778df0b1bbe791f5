"""The slug of an imported article, from its file name: :func:`slugify`."""

from __future__ import annotations

import re
import unicodedata

# ICAO Doc 9303 (machine-readable travel documents, part 3, the table Russian passports use):
# plain a–z, no apostrophes or diacritics, so every slug is a clean URL and file name.
_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
    # Kazakh letters are not in Doc 9303: the Kazakh Latin alphabet of 2021, without diacritics
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
}


def slugify(name: str) -> str:
    """A slug from a file name: Cyrillic transliterated by ICAO Doc 9303, lower case,
    ``[a-z0-9-]``, at most 64 characters (``models.SLUG``); ``""`` when nothing is left.

    Doc 9303 was chosen over GOST 7.79 System B because System B needs ``x``, ``cz``, ``'`` and
    backquotes (``х`` → ``x``, ``ы`` → ``y'``) that a slug cannot hold or that read oddly, while
    Doc 9303 gives the spellings people know from passports (``Павлодар`` → ``pavlodar``,
    ``Щучинск`` → ``shchuchinsk``).
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", name).lower():
        if char in _ICAO:
            out.append(_ICAO[char])
        elif char.isascii() and char.isalnum():
            out.append(char)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char)
                           if c.isascii() and c.isalnum()).lower()
            out.append(base or "-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")
    if len(slug) > 64:  # cut at a word's end when one is near
        cut = slug.rfind("-", 32, 65)
        slug = slug[:cut if cut > 0 else 64].strip("-")
    return slug
