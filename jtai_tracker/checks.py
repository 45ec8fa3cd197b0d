"""System checks of the address settings: every entry parses, and a live service says who reaches /support/."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from jtai_tracker.client_ip import parse_networks

_ADDRESS_SETTINGS = {
    "TRUSTED_PROXIES": "DJANGO_TRUSTED_PROXIES",
    "SUPPORT_ADMIN_ALLOWED_NETWORKS": "DJANGO_SUPPORT_ADMIN_ALLOWED_NETWORKS",
}


@register(Tags.security)
def addresses_parse(app_configs, **kwargs):
    problems = []
    for name, variable in _ADDRESS_SETTINGS.items():
        for entry in getattr(settings, name):
            try:
                parse_networks([entry])
            except ValueError:
                problems.append(
                    Error(
                        f"{name} has {entry!r}, which is not an IP address or network.",
                        hint=f"Set {variable} to addresses or networks separated by commas, like "
                        "192.0.2.7,198.51.100.0/24.",
                        id="jtai_tracker.E001",
                    )
                )
    return problems


@register(Tags.security, deploy=True)
def support_site_allow_list(app_configs, **kwargs):
    if settings.PRODUCTION and not settings.SUPPORT_ADMIN_ALLOWED_NETWORKS:
        return [
            Warning(
                "SUPPORT_ADMIN_ALLOWED_NETWORKS is empty: the support site at /support/ answers 'not found' to "
                "everyone.",
                hint="Set DJANGO_SUPPORT_ADMIN_ALLOWED_NETWORKS to the support team's addresses or networks.",
                id="jtai_tracker.W001",
            )
        ]
    return []
