"""A throwaway CA and server certificate (made with the openssl CLI) for HTTPS tests."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TestCertificates:
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        """Verifies like the default context, but trusts only this CA."""
        return ssl.create_default_context(cafile=str(self.ca_file))


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


def make_certificates(folder: Path, hostname: str) -> TestCertificates:
    """A CA, and a certificate for `hostname` signed by it, valid for a day."""

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
        "-subj", "/CN=Ingest Test CA")  # fmt: skip
    run("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={hostname}")
    (folder / "san.ext").write_text(f"subjectAltName=DNS:{hostname}\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext")  # fmt: skip
    return TestCertificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
