"""WeasyPrint never reaches the network or the file system outside static/: a live local HTTP server
(with a redirect) counts the requests a rendering makes — there must be none."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from reports.pdf import RestrictedUrlFetcher, UrlRefused, render_pdf


@pytest.fixture
def spy_server():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.mark.slow
def test_rendering_makes_no_request_to_a_remote_server(spy_server):
    base, hits = spy_server
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css"></head><body>'
        f'<img src="{base}/logo.png"><img src="{base}/redirect"><p>Отчёт</p>'
        f'<iframe src="{base}/frame"></iframe><object data="{base}/obj"></object></body></html>'
    )
    assert render_pdf(html).startswith(b"%PDF-")
    assert hits == []


@pytest.mark.parametrize("path", ["/logo.png", "/redirect"])
def test_the_fetcher_refuses_http_and_redirects_without_connecting(spy_server, path):
    base, hits = spy_server
    with pytest.raises(UrlRefused):
        RestrictedUrlFetcher().fetch(base + path)
    assert hits == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/static/css/report-pdf.css",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file:///proc/self/environ",
        "FILE:///etc/hostname",
        "https://portal.invalid/static/../../../../etc/passwd",
        "https://portal.invalid/static/%2e%2e/%2e%2e/config/settings.py",
        "https://portal.invalid/media/reports/secret.pdf",
    ],
)
def test_the_fetcher_refuses_the_network_and_local_files_outside_static(url):
    with pytest.raises(UrlRefused):
        RestrictedUrlFetcher().fetch(url)
