"""The gate every feed and sitemap passes before any XML parser that could be tricked sees it:
size cap, no entity declarations, no external references, no internal DTD subset."""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.common import DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser

from worker.errors import InvalidContent, TooLarge

MAX_XML_BYTES = 10 * 1024 * 1024
_DOCTYPE_WITH_SUBSET = re.compile(rb"<!doctype[^>\[]*\[", re.I)


class _Discard:
    """A parser target that builds nothing: the gate only needs to know the parse succeeds."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass


class _GateParser(DefusedXMLParser):
    """defusedxml with one allowance: a bare DOCTYPE naming an external DTD (RSS 0.91 feeds
    carry one) passes, because expat never loads it; any internal subset is refused."""

    def defused_start_doctype_decl(
        self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool
    ) -> None:
        if has_internal_subset:
            raise DTDForbidden(name, sysid, pubid)


def check_size(body: bytes, max_bytes: int = MAX_XML_BYTES) -> None:
    if len(body) > max_bytes:
        raise TooLarge(f"XML document of {len(body)} bytes is over the {max_bytes}-byte cap")


def gate_xml(body: bytes, *, max_bytes: int = MAX_XML_BYTES) -> bool:
    """Raise for oversize or dangerous XML; return whether the document is well-formed.

    A malformed document passes only if it holds no DOCTYPE subset and no <!ENTITY at all,
    so a lenient parser behind the gate has nothing dangerous to expand either."""
    check_size(body, max_bytes)
    parser = _GateParser(
        target=_Discard(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(body)
        parser.close()
    except DefusedXmlException as exc:
        raise InvalidContent(f"XML refused: {type(exc).__name__} ({exc})") from None
    except (ParseError, LookupError, UnicodeError, ValueError):
        # Not well-formed, or an encoding expat cannot read (LookupError for unknown names).
        lowered = body.lower()
        if b"<!entity" in lowered or _DOCTYPE_WITH_SUBSET.search(lowered):
            raise InvalidContent(
                "XML refused: malformed and declares entities or a DTD subset"
            ) from None
        return False
    return True
