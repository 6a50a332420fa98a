"""A small shop served on 127.0.0.1 for whole-site tests, recording every request.

``ShopServer(routes)`` serves a dict of path -> :class:`Resp` on an ephemeral port in
a background thread. ``shop_routes(other)`` builds the test shop: home, about (behind
a redirect), contact (in windows-1258), one page per policy, products and a category,
robots.txt disallowing ``/private/`` and one product, a redirect loop, a slow page, a
20 MB page (declared and streamed), an image served where a page is expected, HTML
served as ``application/octet-stream``, and links to another site (``other``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pages import encode_cp1258

BIG = 20 * 1024 * 1024
MST = "0312345673"
BADGE = "http://online.gov.vn/Home/WebDetails/12345"


@dataclass
class Resp:
    """One response: status, headers, body (bytes or a chunk iterator), a delay first."""

    status: int = 200
    body: bytes | Callable[[], Iterator[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def html(cls, markup: str, delay: float = 0.0) -> Resp:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        return cls(200, markup.encode("utf-8"), headers, delay)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Resp:
        return cls(status, b"", {"Location": location})


@dataclass
class Hit:
    path: str
    user_agent: str
    at: float


class ShopServer:
    """A threaded HTTP server on 127.0.0.1 serving fixed routes; records each request."""

    def __init__(self, routes: dict[str, Resp] | None = None) -> None:
        self.routes: dict[str, Resp] = routes or {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.hits.append(
                        Hit(self.path, self.headers.get("User-Agent", ""), time.monotonic())
                    )
                resp = server.routes.get(self.path.split("#", 1)[0])
                if resp is None:
                    resp = Resp(404, b"<html><body><h1>Not found</h1></body></html>",
                                {"Content-Type": "text/html"})  # fmt: skip
                if resp.delay:
                    time.sleep(resp.delay)
                try:
                    self.send_response(resp.status)
                    for k, v in resp.headers.items():
                        self.send_header(k, v)
                    body = resp.body
                    if isinstance(body, bytes) and "Content-Length" not in resp.headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if isinstance(body, bytes):
                        self.wfile.write(body)
                    else:
                        for chunk in body():
                            self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: that is what caps do

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ShopServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str = "/") -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.hits]


# --- the shop ---------------------------------------------------------------------------

_NAV = """<header><nav class="main-menu">
<a href="/">Trang chủ</a> <a href="/gioi-thieu">Giới thiệu</a>
<a href="/collections/all">Sản phẩm</a> <a href="/lien-he">Liên hệ</a>
<a href="/cart">Giỏ hàng</a> <a href="/account/login">Đăng nhập</a>
</nav></header>"""


def _footer(other: str) -> str:
    return f"""<footer>
<p>© 2026 Thời Trang ABC. Mọi quyền được bảo lưu.</p>
<ul>
<li><a href="/chinh-sach-doi-tra">Chính sách đổi trả</a></li>
<li><a href="/chinh-sach-bao-mat">Chính sách bảo mật</a></li>
<li><a href="/chinh-sach-van-chuyen">Chính sách vận chuyển</a></li>
<li><a href="/hinh-thuc-thanh-toan">Hình thức thanh toán</a></li>
<li><a href="/giai-quyet-khieu-nai">Giải quyết khiếu nại</a></li>
<li><a href="/dieu-khoan-su-dung">Điều khoản sử dụng</a></li>
<li><a href="/private/chinh-sach-dai-ly">Chính sách đại lý</a></li>
<li><a href="{other}/gioi-thieu">Giới thiệu đối tác</a></li>
</ul>
<a href="{BADGE}"><img src="/static/logoSaleNoti.png" alt="Đã thông báo Bộ Công Thương"></a>
</footer>"""


def _page(title: str, main: str, other: str) -> str:
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body>{_NAV}<main>{main}</main>{_footer(other)}</body></html>"
    )


PRODUCTS = {
    "ao-thun-trang": ("Áo thun trắng", "150.000đ"),
    "ao-thun-xanh": ("Áo thun xanh", "160.000đ"),
    "ao-thun-cham": ("Áo thun (trang chậm)", "170.000đ"),
    "ao-thun-lon": ("Áo thun (trang 20 MB)", "180.000đ"),
    "ao-thun-lon-2": ("Áo thun (20 MB, không khai báo độ dài)", "180.000đ"),
    "ao-thun-anh": ("Áo thun (ảnh thay trang)", "190.000đ"),
    "vong-lap": ("Áo thun (chuyển hướng vòng)", "200.000đ"),
    "ao-thun-octet": ("Áo thun (sai kiểu nội dung)", "210.000đ"),
    "hang-noi-bo": ("Hàng nội bộ", "220.000đ"),
}


def _product(name: str, price: str, other: str) -> str:
    main = f"""<div class="product-detail"><h1>{name}</h1>
<p class="price">Giá: {price}</p>
<p>Xuất xứ: Việt Nam. Chất liệu cotton 100%, thoáng mát, thấm hút mồ hôi.</p>
<button class="btn btn-buy">Thêm vào giỏ hàng</button> <a class="btn" href="/cart">Mua ngay</a>
</div>"""
    return _page(name, main, other)


def _cards(slugs: list[str]) -> str:
    return "\n".join(
        f'<div class="product-card"><a href="/products/{s}">{PRODUCTS[s][0]}</a>'
        f'<span class="price">{PRODUCTS[s][1]}</span>'
        f'<button class="btn">Thêm vào giỏ</button></div>'
        for s in slugs
    )


def _policy(title: str, body: str, other: str) -> str:
    return _page(title, f"<article><h1>{title}</h1><p>{body}</p></article>", other)


def _stream_big() -> Iterator[bytes]:
    chunk = b"<p>" + b"x" * 65530 + b"</p>"
    sent = 0
    yield b"<!doctype html><html><body>"
    while sent < BIG:
        yield chunk
        sent += len(chunk)


def shop_routes(
    other: str = "http://127.0.0.1:9", *, remove: tuple[str, ...] = ()
) -> dict[str, Resp]:
    """The test shop; ``other`` is the base URL of an off-site server it links to."""
    home_main = (
        "<h2>Sản phẩm nổi bật</h2>"
        + _cards(list(PRODUCTS))
        + f'<p><a href="{other}/products/hang-doi-tac">Hàng của đối tác</a></p>'
    )
    contact = (
        '<!doctype html><html lang="vi"><head><meta charset="windows-1258">'
        "<title>Liên hệ – Thời Trang ABC</title></head><body>"
        f"{_NAV}<main><h1>Liên hệ</h1>"
        "<p>Địa chỉ: 123 Nguyễn Trãi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh</p>"
        "<p>Hotline: 0909 123 456</p><p>Email: cskh@thoitrangabc.vn</p>"
        f"</main>{_footer(other)}</body></html>"
    )
    about = _page(
        "Giới thiệu – Thời Trang ABC",
        "<h1>Giới thiệu</h1><p>Thời Trang ABC là thương hiệu áo thun của "
        "Công ty TNHH Thời Trang ABC.</p>"
        f"<p>Mã số doanh nghiệp: {MST} do Sở Kế hoạch và Đầu tư TP. Hồ Chí Minh cấp lần "
        "đầu ngày 01/02/2020.</p>",
        other,
    )
    routes: dict[str, Resp] = {
        "/robots.txt": Resp(
            200,
            b"User-agent: *\nDisallow: /private/\nDisallow: /products/hang-noi-bo\n",
            {"Content-Type": "text/plain"},
        ),
        "/": Resp.html(_page("Thời Trang ABC – Áo thun nam nữ", home_main, other)),
        "/gioi-thieu": Resp.redirect("/pages/gioi-thieu", 301),
        "/pages/gioi-thieu": Resp.html(about),
        "/lien-he": Resp(
            200, encode_cp1258(contact), {"Content-Type": "text/html; charset=windows-1258"}
        ),
        "/chinh-sach-doi-tra": Resp.html(
            _policy("Chính sách đổi trả", "Đổi trả trong 7 ngày kể từ khi nhận hàng.", other)
        ),
        "/chinh-sach-bao-mat": Resp.html(
            _policy("Chính sách bảo mật thông tin", "Chúng tôi bảo vệ dữ liệu khách hàng.", other)
        ),
        "/chinh-sach-van-chuyen": Resp.html(
            _policy(
                "Chính sách vận chuyển và kiểm hàng",
                "Giao hàng toàn quốc 2–5 ngày; khách được kiểm tra hàng trước khi nhận.",
                other,
            )
        ),
        "/hinh-thuc-thanh-toan": Resp.html(
            _policy("Hình thức thanh toán", "Thanh toán khi nhận hàng hoặc chuyển khoản.", other)
        ),
        "/giai-quyet-khieu-nai": Resp.html(
            _policy("Chính sách giải quyết khiếu nại", "Phản hồi trong 48 giờ.", other)
        ),
        "/dieu-khoan-su-dung": Resp.html(
            _policy("Điều khoản sử dụng", "Điều kiện giao dịch chung của website.", other)
        ),
        "/private/chinh-sach-dai-ly": Resp.html(_policy("Chính sách đại lý", "Nội bộ.", other)),
        "/collections/all": Resp.html(
            _page(
                "Tất cả sản phẩm",
                "<h1>Tất cả sản phẩm</h1>"
                + _cards(["ao-thun-trang", "ao-thun-xanh"])
                + '<div class="product-card"><a href="/products/ao-thun-den">Áo thun đen</a>'
                '<span class="price">155.000đ</span></div>',
                other,
            )
        ),
        "/products/ao-thun-den": Resp.html(_product("Áo thun đen", "155.000đ", other)),
        "/products/ao-thun-cham": Resp.html(_product("Áo thun chậm", "170.000đ", other), delay=3),
        "/products/ao-thun-lon": Resp(
            200, lambda: _stream_big(), {"Content-Type": "text/html", "Content-Length": str(BIG)}
        ),
        "/products/ao-thun-lon-2": Resp(200, lambda: _stream_big(), {"Content-Type": "text/html"}),
        "/products/ao-thun-anh": Resp(
            200,
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000,
            {"Content-Type": "image/jpeg"},
        ),
        "/products/vong-lap": Resp.redirect("/products/vong-lap-2"),
        "/products/vong-lap-2": Resp.redirect("/products/vong-lap"),
        "/products/ao-thun-octet": Resp(
            200,
            _product("Áo thun octet", "210.000đ", other).encode("utf-8"),
            {"Content-Type": "application/octet-stream"},
        ),
    }
    for slug in ("ao-thun-trang", "ao-thun-xanh", "hang-noi-bo"):
        name, price = PRODUCTS[slug]
        routes[f"/products/{slug}"] = Resp.html(_product(name, price, other))
    for path in remove:
        routes.pop(path, None)
    return routes


@pytest.fixture(autouse=True)
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to 127.0.0.1 directly, whatever proxy the environment names."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
