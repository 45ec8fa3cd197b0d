"""A browser's User-Agent header in a few words, for people reading the audit log.

Only the common browsers and systems are named; anything else is shown as sent, cut short. The header is
whatever the browser chose to send, so it says what the browser claimed, not what it was.
"""

from __future__ import annotations

import re

#: How long an unrecognised header may run on the page before it is cut short.
SHORT_LENGTH = 60

# First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"\bOPR/(\d+)")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"\b(?:Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"\bVersion/(\d+)[\d.]* (?:Mobile/\S+ )?Safari/")),
]
_SYSTEMS = [
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
]


def short_browser(user_agent: str) -> str:
    """ "Firefox 128 on Windows", "Safari 17 on iPhone"; an unknown header as sent (cut short); "" for none."""
    user_agent = " ".join(user_agent.split())
    if not user_agent:
        return ""
    browser = next(
        (f"{name} {found.group(1)}" for name, pattern in _BROWSERS if (found := pattern.search(user_agent))), None
    )
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), None)
    if system:
        return f"{browser or 'Another browser'} on {system}"
    if browser:
        return browser
    return user_agent if len(user_agent) <= SHORT_LENGTH else user_agent[: SHORT_LENGTH - 1] + "…"
