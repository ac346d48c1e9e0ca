"""The parse step: HTML in, Article out (extract_article), with explain() for the CLI."""

from worker.parse.extract import EXTRACTOR, explain, extract, extract_article
from worker.parse.profiles import ProfileSet, SiteProfile, default_profiles, load_profiles

__all__ = [
    "EXTRACTOR",
    "ProfileSet",
    "SiteProfile",
    "default_profiles",
    "explain",
    "extract",
    "extract_article",
    "load_profiles",
]
