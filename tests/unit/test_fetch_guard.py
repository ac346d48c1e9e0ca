"""The address guard's rules, without network: literals, wrappings, allowlist, ports, DNS."""

from __future__ import annotations

import ipaddress
import time

import pytest

from tests.support.testenv import fetch_settings
from worker.errors import Blocked, FetchTimeout, InvalidUrl, NetworkError
from worker.fetch.guard import AddressGuard, address_problem, embedded_ipv4, parse_ip_literal

PUBLIC = "93.184.216.34"


def guard(resolver=None, **overrides) -> AddressGuard:
    overrides.setdefault("fetch_allow_private", [])
    return AddressGuard(fetch_settings(**overrides), resolver=resolver or fake_dns({}))


def fake_dns(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"no such host {host}")
        return table[host]

    return resolve


@pytest.mark.parametrize(
    "spelling",
    ["127.1", "2130706433", "0x7f.1", "017700000001", "0x7f000001", "127.0.0.1."],
)
def test_legacy_ipv4_spellings_are_parsed_as_loopback(spelling: str) -> None:
    assert parse_ip_literal(spelling) == ipaddress.ip_address("127.0.0.1")


@pytest.mark.parametrize(
    ("wrapped", "inner"),
    [
        ("::ffff:127.0.0.1", "127.0.0.1"),
        ("::ffff:7f00:1", "127.0.0.1"),
        ("2002:7f00:1::", "127.0.0.1"),
        ("64:ff9b::7f00:1", "127.0.0.1"),
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1"),  # Teredo, client obfuscated
    ],
)
def test_embedded_ipv4_is_unwrapped(wrapped: str, inner: str) -> None:
    assert embedded_ipv4(ipaddress.ip_address(wrapped)) == ipaddress.ip_address(inner)
    assert address_problem(ipaddress.ip_address(wrapped)) is not None


BLOCKED_URLS = {
    "http://127.0.0.1:8082/": "loopback",
    "http://[::1]:8082/": "loopback",
    "http://0.0.0.0:8082/": "unspecified",
    "http://[::]/": "unspecified",
    "http://127.1/": "loopback",
    "http://2130706433/": "loopback",
    "http://0x7f.1/": "loopback",
    "http://017700000001/": "loopback",
    "http://[::ffff:127.0.0.1]/": "loopback",
    "http://[::ffff:7f00:1]/": "loopback",
    "http://[2002:7f00:1::]/": "loopback",
    "http://[64:ff9b::7f00:1]/": "loopback",
    "http://169.254.169.254/latest/meta-data/": "link-local",
    "http://[fe80::1]/": "link-local",
    "http://10.0.0.1/": "private",
    "http://172.16.0.1/": "private",
    "http://172.31.255.255/": "private",
    "http://192.168.1.1/": "private",
    "http://100.64.0.1/": "CGNAT",
    "http://[fd00::1]/": "private",
    "http://224.0.0.1/": "multicast",
    "http://[ff02::1]/": "multicast",
    "http://240.0.0.1/": "reserved",
    "http://127.0.0.2:8081/": "loopback",
}


@pytest.mark.parametrize("url", sorted(BLOCKED_URLS))
def test_private_and_special_addresses_are_blocked_naming_the_rule(url: str) -> None:
    with pytest.raises(Blocked) as caught:
        guard().check_url(url)
    assert BLOCKED_URLS[url] in caught.value.reason


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("gopher://127.0.0.1:6379/_INFO", "scheme 'gopher'"),
        ("ftp://example.com/", "scheme 'ftp'"),
        ("data:text/html,<b>x</b>", "scheme 'data'"),
        ("http://a@127.0.0.1:8082@x.test/", "credentials"),
        ("http://127.0.0.1:8082\\@x.test/", "backslashes"),
        ("http://user:pw@example.com/", "credentials"),
    ],
)
def test_schemes_and_parser_confusion_are_blocked(url: str, rule: str) -> None:
    with pytest.raises(Blocked) as caught:
        guard().check_url(url)
    assert rule in caught.value.reason


def test_names_are_checked_after_resolution_on_every_record() -> None:
    dns = fake_dns(
        {
            "private.test": ["10.0.0.5"],
            "mixed.test": [PUBLIC, "127.0.0.1"],
            "v6.test": ["2606:4700::1", "::ffff:192.168.0.1"],
            "ok.test": [PUBLIC, "2606:4700::1"],
        }
    )
    g = guard(dns)
    for host, rule in [
        ("private.test", "private"),
        ("mixed.test", "loopback"),
        ("v6.test", "private"),
    ]:
        with pytest.raises(Blocked, match=f"{host} resolves to .*{rule}"):
            g.resolve(host, 80)
    assert [str(a) for a in g.resolve("ok.test", 443)] == [PUBLIC, "2606:4700::1"]


def test_port_rule_unless_allowlisted_and_address_rule_named_first() -> None:
    dns = fake_dns({"port.test": [PUBLIC], "localhost": ["127.0.0.1"]})
    g = guard(dns)
    with pytest.raises(Blocked, match="port 6390 is not allowed"):
        g.check_url("http://port.test:6390/")
    with pytest.raises(Blocked, match="localhost resolves to loopback"):
        g.check_url("http://localhost:8082/")
    with pytest.raises(Blocked, match="port 22"):
        g.resolve("port.test", 22)
    assert g.check_url("https://port.test/") == ("https", "port.test", 443)


def test_allowlist_by_host_and_by_network() -> None:
    dns = fake_dns(
        {"origin.test": ["127.0.0.1"], "lab.test": ["10.1.2.3"], "db.test": ["10.9.0.1"]}
    )
    g = guard(dns, fetch_allow_private=["127.0.0.1", "lab.test", "10.1.0.0/16"])
    assert g.check_url("http://127.0.0.1:8081/")[2] == 8081  # literal in list: any port
    assert g.resolve("origin.test", 80) == [ipaddress.ip_address("127.0.0.1")]
    assert g.resolve("lab.test", 9000) == [ipaddress.ip_address("10.1.2.3")]
    g.check_url("http://[::ffff:127.0.0.1]:8081/")  # the same address, wrapped
    with pytest.raises(Blocked, match="loopback address 127.0.0.2"):
        g.check_url("http://127.0.0.2:8081/")
    with pytest.raises(Blocked, match="private"):
        g.resolve("db.test", 80)
    with pytest.raises(Blocked, match="port 8081"):  # allowlisted address, but a name
        g.resolve("origin.test", 8081)


def test_dns_failure_and_deadline() -> None:
    def slow(host: str, port: int) -> list[str]:
        time.sleep(2)
        return [PUBLIC]

    with pytest.raises(NetworkError, match="DNS lookup for nowhere.test failed"):
        guard().resolve("nowhere.test", 80)
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="DNS lookup for slow.test took longer than 0.2 s"):
        guard(slow, fetch_dns_timeout=0.2).resolve("slow.test", 80)
    assert time.monotonic() - started < 1.0


def test_invalid_urls() -> None:
    with pytest.raises(InvalidUrl):
        guard().check_url("http:///path")
    with pytest.raises(InvalidUrl):
        guard().check_url("http://example.com:99999/")
