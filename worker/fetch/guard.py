"""Address guard: which URLs and IP addresses the fetcher may connect to (SSRF defence).

Checks run twice: `check_url` before any connection (scheme, port, IP-literal hosts), and
`resolve` inside the connection backend, which resolves the name with a deadline, validates
every A/AAAA record and hands back the addresses the socket must connect to. Addresses
wrapped in IPv6 (IPv4-mapped, 6to4, Teredo, NAT64) are unwrapped and checked too.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import threading
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from worker.errors import Blocked, FetchTimeout, InvalidUrl, NetworkError
from worker.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> IP address strings. Raises OSError (e.g. socket.gaierror) on failure."""

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# inet_aton spellings of IPv4 (127.1, 2130706433, 0x7f.1, 017700000001) that resolvers accept.
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}\.?$", re.I)


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses getaddrinfo gives for host (A and AAAA)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string spells, including legacy IPv4 forms; None for a name."""
    host = host.strip("[]")
    if "%" in host:  # zone index, e.g. fe80::1%eth0
        host = host.split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64)."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(address: IPAddress) -> str | None:
    """Why connecting to address is refused, naming the rule; None if it is a public address."""
    inner = embedded_ipv4(address)
    if inner is not None:
        problem = address_problem(inner)
        if problem:
            return f"{problem} (wrapped in {address})"
    if address.is_unspecified:
        return f"unspecified address {address}"
    if address.is_loopback:
        return f"loopback address {address}"
    if address.is_link_local:
        return f"link-local address {address}"
    if address.is_multicast:
        return f"multicast address {address}"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return f"shared address space (CGNAT 100.64.0.0/10) address {address}"
    if address.is_reserved:
        return f"reserved address {address}"
    if address.is_private:
        return f"private address {address}"
    if not address.is_global:
        return f"non-global address {address}"
    return None


class AddressGuard:
    """Applies the settings' fetch policy: schemes, ports, allowlisted hosts and networks."""

    def __init__(
        self,
        settings: Settings,
        resolver: Resolver | None = None,
        dns_timeout: float | None = None,
    ) -> None:
        self._resolver = resolver or system_resolver
        self._dns_timeout = settings.fetch_dns_timeout if dns_timeout is None else dns_timeout
        self._allowed_ports = frozenset(settings.fetch_allowed_ports)
        self._allowed_hosts: set[str] = set()
        self._allowed_networks: list[IPNetwork] = []
        for item in settings.fetch_allow_private:
            item = item.strip().lower()
            if "/" in item:
                self._allowed_networks.append(ipaddress.ip_network(item, strict=False))
            elif (literal := parse_ip_literal(item)) is not None:
                self._allowed_networks.append(ipaddress.ip_network(literal))
            else:
                self._allowed_hosts.add(item.rstrip("."))

    # --- policy ---------------------------------------------------------------------

    def host_allowlisted(self, host: str) -> bool:
        """True for a host named in fetch_allow_private, or an IP literal inside a listed network."""
        host = host.strip("[]").lower().rstrip(".")
        if host in self._allowed_hosts:
            return True
        literal = parse_ip_literal(host)
        return literal is not None and self.address_allowlisted(literal)

    def address_allowlisted(self, address: IPAddress) -> bool:
        candidates = [address]
        inner = embedded_ipv4(address)
        if inner is not None:
            candidates.append(inner)
        return any(
            a.version == net.version and a in net
            for a in candidates
            for net in self._allowed_networks
        )

    def check_address(self, host: str, address: IPAddress) -> None:
        if self.host_allowlisted(host) or self.address_allowlisted(address):
            return
        problem = address_problem(address)
        if problem is None:
            return
        if parse_ip_literal(host) is None:
            raise Blocked(f"{host} resolves to {problem}")
        raise Blocked(f"{problem} is not allowed")

    def port_allowed(self, host: str, port: int) -> bool:
        return port in self._allowed_ports or self.host_allowlisted(host)

    def check_port(self, host: str, port: int) -> None:
        if not self.port_allowed(host, port):
            allowed = ", ".join(str(p) for p in sorted(self._allowed_ports))
            raise Blocked(f"port {port} is not allowed (allowed: {allowed})")

    def check_url(self, url: str) -> tuple[str, str, int]:
        """Check scheme, port and IP-literal hosts without touching DNS; returns (scheme, host, port)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise InvalidUrl(f"unparseable URL: {exc}") from None
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise Blocked(f"scheme {scheme or '(none)'!r} is not allowed (http and https only)")
        if parts.username is not None or parts.password is not None or "\\" in parts.netloc:
            raise Blocked("credentials or backslashes in the host part are not allowed")
        host = (parts.hostname or "").lower()
        if not host:
            raise InvalidUrl("URL has no host")
        port = port if port is not None else _DEFAULT_PORTS[scheme]
        literal = parse_ip_literal(host)
        if literal is not None:
            self.check_address(host, literal)
        elif not self.port_allowed(host, port):
            # Name the address rule when the name points inside (SSRF probes usually do);
            # a lookup that fails leaves the port rule as the reason.
            with contextlib.suppress(NetworkError, FetchTimeout):
                self._validated_addresses(host, port)
        self.check_port(host, port)
        return scheme, host, port

    # --- resolution -------------------------------------------------------------------

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Resolve host within the DNS deadline and validate every address; all or nothing."""
        host = host.strip("[]").lower()
        addresses = self._validated_addresses(host, port)
        self.check_port(host, port)
        return addresses

    def _validated_addresses(self, host: str, port: int) -> list[IPAddress]:
        literal = parse_ip_literal(host)
        if literal is not None:
            self.check_address(host, literal)
            return [literal]
        raw = self._resolve_with_deadline(host, port)
        addresses: list[IPAddress] = []
        for text in raw:
            address = parse_ip_literal(text)
            if address is None:
                raise NetworkError(f"DNS lookup for {host} returned a non-address {text!r}")
            self.check_address(host, address)
            addresses.append(address)
        if not addresses:
            raise NetworkError(f"DNS lookup for {host} returned no addresses")
        return addresses

    def _resolve_with_deadline(self, host: str, port: int) -> Sequence[str]:
        # getaddrinfo cannot be interrupted, so it runs in a daemon thread we stop waiting for.
        outcome: dict[str, object] = {}
        done = threading.Event()

        def run() -> None:
            try:
                outcome["addresses"] = self._resolver(host, port)
            except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
                outcome["error"] = exc
            finally:
                done.set()

        threading.Thread(target=run, name=f"dns:{host}", daemon=True).start()
        if not done.wait(self._dns_timeout):
            raise FetchTimeout(f"DNS lookup for {host} took longer than {self._dns_timeout:g} s")
        error = outcome.get("error")
        if error is not None:
            raise NetworkError(f"DNS lookup for {host} failed: {error}")
        return outcome["addresses"]  # type: ignore[return-value]
