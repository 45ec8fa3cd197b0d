"""Every page a signed-in user reaches by following links: what the browser sweeps visit.

The crawler follows every same-site link it finds from the home page (GET only, never a download or
sign-out) and visits each distinct page once, so a new page is swept as soon as it is linked from anywhere
a user can reach.
"""

import re
from collections import deque
from collections.abc import Iterator
from urllib.parse import urldefrag, urlparse

#: Links that change state, leave the app or download a file rather than show a page.
SKIP = re.compile(
    r"/accounts/logout|/support/|/evidence/|\.pdf|\.docx|\.xlsx|\.csv|\.json|/download|/export|/api/schema"
)
#: Pages that differ only by query string (filters, sorting) are visited once per path and query keys.
MAX_PAGES_PER_ROLE = 80


def page_key(url: str) -> str:
    parsed = urlparse(url)
    # One page per path, plus one per distinct set of query keys (e.g. ?view=list).
    keys = ",".join(sorted({part.split("=")[0] for part in parsed.query.split("&") if part}))
    # Collapse numeric ids in sense-check and action pages so 22 actions cost one visit each kind.
    path = re.sub(r"/\d+/", "/N/", parsed.path)
    return f"{path}?{keys}"


def reachable_pages(page, origin: str, limit: int = MAX_PAGES_PER_ROLE) -> Iterator[tuple[str, object]]:
    """Visit each page the signed-in user reaches from the home page; yield (url, response) for each HTML page.

    Every address visited must answer below 500. The caller inspects ``page`` (still showing that page)
    before asking for the next; links are read after it has.
    """
    queue = deque([origin + "/"])
    seen: set[str] = set()
    shown = 0
    while queue and shown < limit:
        url = queue.popleft()
        key = page_key(url)
        if key in seen:
            continue
        seen.add(key)
        response = page.goto(url)
        assert response is not None and response.status < 500, f"{url} answered {response and response.status}"
        if response.status != 200 or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        shown += 1
        yield url, response
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            if href.startswith(origin) and not SKIP.search(href) and page_key(href) not in seen:
                queue.append(href)
