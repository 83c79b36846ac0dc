"""Quote extraction: find every quotation in a news article and attribute it.

``extract_quotes(text)`` is a pure function of the text (standard library only).
The package is split by concern: ``marks`` pairs quotation marks, ``layout`` cuts
lines and sentences, ``mentions`` reads speaker phrases, ``attribution`` holds the
patterns, ``speakers`` resolves names, descriptions and pronouns, ``lexicons``
holds the word lists.
"""

from quoteapi.extract.extractor import extract_quotes
from quoteapi.extract.names import fold_name
from quoteapi.extract.records import Quote, Speaker

__all__ = ["Quote", "Speaker", "extract_quotes", "fold_name"]
