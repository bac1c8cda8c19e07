"""Closed classes of places for relevance's lexicon, complete rather than hand-picked: every country
(ISO 3166-1), China's provinces and regions and the states of the USA (ISO 3166-2), in English and
Chinese, from pycountry's data and its zh_CN translations.

A hand-written lexicon names the countries its authors thought of; "the capital of Morocco" answered
with Algeria's, or "四川的省会" answered with 云南's, needs the whole class. The hand-written groups of
harness/scorers/lexicon.py (with their demonyms: "french", "法国") come first: a country found there
is not added again.

Left out, because the word has a common other sense in English text: Chad, Jordan, Georgia, Guinea,
Niger, Jersey, Turkey, Washington, Virginia, Indiana, and the like (`_AMBIGUOUS`).
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache

_AMBIGUOUS = frozenset(
    """chad jordan georgia guinea niger jersey turkey türkiye mali togo dominica guernsey man washington virginia
    indiana montana nevada carolina maine""".split()
)
_ZH_SUFFIX_RE = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|州)$")
_EN_SUFFIX_RE = re.compile(r"\s+(?:Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Uygur Zizhiqu|Zhuangzu Zizhiqu|Xizang Zizhiqu|SAR)$")
_NOT_COUNTRIES = frozenset({"VA"})  # the Vatican: a sight of Rome in most text, not a competing country
_CN_TYPES = ("Province", "Autonomous region")  # municipalities and SARs are cities, already in the lexicon


def _zh(domain: str):  # type: ignore[no-untyped-def]
    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True).gettext


def _en_forms(*names: str | None) -> list[str]:
    """Lower-cased English names without their ISO tails ("Korea, Republic of" -> none; "Sichuan Sheng" -> "sichuan")."""
    out = []
    for n in names:
        if not n or "," in n or "(" in n:
            continue
        n = _EN_SUFFIX_RE.sub("", n).strip().lower()
        if n and n not in _AMBIGUOUS and n.isascii():
            out.append(n)
    return out


def _zh_forms(name: str) -> list[str]:
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,}", name or ""):
        return []
    short = _ZH_SUFFIX_RE.sub("", name)
    return list(dict.fromkeys([name, *([short] if len(short) >= 2 else [])]))


@lru_cache(maxsize=1)
def place_groups() -> dict[str, list[tuple[str, ...]]]:
    """category -> groups of words naming one place: {"country": [...], "region": [...]}."""
    import pycountry

    zh1, zh2 = _zh("iso3166-1"), _zh("iso3166-2")
    countries = []
    for c in pycountry.countries:
        if "Province of" in c.name or c.alpha_2 in _NOT_COUNTRIES:
            continue
        words = [*_en_forms(getattr(c, "common_name", None), c.name), *_zh_forms(zh1(c.name))]
        if words:
            countries.append(tuple(dict.fromkeys(words)))
    regions = []
    for code, types in (("CN", _CN_TYPES), ("US", ("State",))):
        for s in pycountry.subdivisions.get(country_code=code):
            if s.type in types:
                words = [*_en_forms(s.name), *_zh_forms(zh2(s.name))]
                if words:
                    regions.append(tuple(dict.fromkeys(words)))
    return {"country": countries, "region": regions}
