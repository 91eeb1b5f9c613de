"""What a check asks of the analysis (kept apart from the analysers: settings import it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnalysisOptions:
    """Choices that change what the analysis computes (part of the cache key)."""

    ocr: str = "rapidocr"
    logos: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    promo_words: tuple[str, ...] = ()
