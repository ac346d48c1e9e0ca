"""SSRF end to end: no connection ever reaches a private canary, whatever the URL or redirect."""

from __future__ import annotations

import threading

import pytest

from tests.support.httpserver import ScriptedServer
from tests.support.testenv import fetch_settings
from tests.support.tls import make_certificates, openssl_available
from worker.errors import Blocked, NetworkError
from worker.fetch.client import make_client
from worker.fetch.http import fetch_page

pytest_plugins = ["tests.support.fixtures"]

PAGE = "<html><title>ok</title></html>"


@pytest.fixture
def canary() -> ScriptedServer:
    with ScriptedServer(host="127.0.0.2") as srv:
        srv.route("/", body="canary secret")
        yield srv


def test_direct_urls_into_private_space_never_connect(canary: ScriptedServer) -> None:
    settings = fetch_settings(fetch_allow_private=[])
    port = canary.port
    names = {
        "private.test": ["10.0.0.5"],
        "mixed.test": ["93.184.216.34", "127.0.0.2"],
        "canary.test": ["127.0.0.2"],
        "v6.test": ["::ffff:127.0.0.2"],
    }
    urls = [
        canary.url("/"),
        f"http://127.0.0.2:{port}/",
        f"http://[::ffff:127.0.0.2]:{port}/",
        f"http://[::ffff:7f00:2]:{port}/",
        f"http://[2002:7f00:2::]:{port}/",
        f"http://[64:ff9b::7f00:2]:{port}/",
        f"http://2130706434:{port}/",
        f"http://127.2:{port}/",
        f"http://0x7f.2:{port}/",
        f"http://a@127.0.0.2:{port}@x.test/",
        "file:///etc/passwd",
        "gopher://127.0.0.2/",
        "http://169.254.169.254/latest/meta-data/",
        f"http://private.test:{port}/",
        f"http://mixed.test:{port}/",
        f"http://canary.test:{port}/",
        f"http://v6.test:{port}/",
        "http://private.test/",
        "http://canary.test/",
    ]
    with make_client(settings, resolver=lambda host, _port: names[host]) as client:
        for url in urls:
            with pytest.raises(Blocked):
                fetch_page(client, url, settings)
    assert canary.accepts == 0


def test_redirects_into_private_space_are_blocked(
    server: ScriptedServer, canary: ScriptedServer
) -> None:
    settings = fetch_settings(fetch_allow_private=["127.0.0.1"])
    targets = {
        "/a": f"http://127.0.0.2:{canary.port}/",
        "/b": f"http://[::ffff:127.0.0.2]:{canary.port}/",
        "/c": "file:///etc/passwd",
        "/d": "http://10.0.0.1/",
        "/e": f"http://[::1]:{server.port}/",
    }
    for path, location in targets.items():
        server.redirect(path, location)
    with make_client(settings) as client:
        for path in targets:
            with pytest.raises(Blocked):
                fetch_page(client, server.url(path), settings)
    assert canary.accepts == 0
    assert len(server.requests) == len(targets)


def test_dns_rebinding_cannot_reach_a_second_address(server: ScriptedServer) -> None:
    # rebind.test answers the allowlisted 127.0.0.1 once, then 127.0.0.2, on the same port.
    with ScriptedServer(host="127.0.0.2", port=server.port) as canary:
        server.route("/", body=PAGE, headers={"Connection": "close"})
        settings = fetch_settings(
            fetch_allow_private=["127.0.0.1"], fetch_allowed_ports=[server.port]
        )
        answers = iter([["127.0.0.1"]])
        lock = threading.Lock()

        def rebinding(host: str, port: int) -> list[str]:
            with lock:
                return next(answers, ["127.0.0.2"])

        url = f"http://rebind.test:{server.port}/"
        with make_client(settings, resolver=rebinding) as client:
            assert fetch_page(client, url, settings).text == PAGE
            for _ in range(20):
                with pytest.raises(
                    Blocked, match="rebind.test resolves to loopback address 127.0.0.2"
                ):
                    fetch_page(client, url, settings)
        assert canary.accepts == 0
        assert server.accepts == 1


@pytest.mark.skipif(not openssl_available(), reason="needs the openssl command")
def test_https_connects_to_the_ip_but_verifies_and_sends_sni_for_the_name(tmp_path) -> None:
    certs = make_certificates(tmp_path, "news.test")
    with ScriptedServer(tls=certs.server_context()) as origin:
        origin.route("/a", body=PAGE)
        settings = fetch_settings(fetch_allow_private=["127.0.0.1"],
                                  fetch_allowed_ports=[origin.port])  # fmt: skip
        url = f"https://news.test:{origin.port}/a"
        resolver = lambda host, port: ["127.0.0.1"]  # noqa: E731
        with make_client(settings, resolver, ssl_context=certs.client_context()) as client:
            assert fetch_page(client, url, settings).text == PAGE
        assert origin.sni_names == ["news.test"]
        assert origin.requests[0].header("host") == f"news.test:{origin.port}"
        # The certificate is for news.test: reaching the same IP under another name fails.
        other = f"https://other.test:{origin.port}/a"
        with (
            make_client(settings, resolver, ssl_context=certs.client_context()) as client,
            pytest.raises(NetworkError, match="CERTIFICATE_VERIFY_FAILED"),
        ):
            fetch_page(client, other, settings)
        # And the default context does not trust the test CA at all.
        with make_client(settings, resolver) as client, pytest.raises(NetworkError):
            fetch_page(client, url, settings)
