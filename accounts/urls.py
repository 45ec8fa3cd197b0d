"""Account pages under /accounts/: django-allauth's sign-in, password, second-factor and single sign-on views
(only the ones this service uses: no sign-up, no changing your own email address, no linking other accounts),
and ours: an invitation's link and finding your organisation's sign-in."""

from allauth.account import views as account
from allauth.socialaccount import views as socialaccount
from django.urls import include, path, re_path

from accounts import views

urlpatterns = [
    path("login/", account.login, name="account_login"),
    path("logout/", account.logout, name="account_logout"),
    path("inactive/", account.account_inactive, name="account_inactive"),
    path("reauthenticate/", account.reauthenticate, name="account_reauthenticate"),
    path("password/change/", views.passwords_allowed(account.password_change), name="account_change_password"),
    path("password/set/", views.passwords_allowed(account.password_set), name="account_set_password"),
    path("password/reset/", account.password_reset, name="account_reset_password"),
    path("password/reset/done/", account.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        account.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path("password/reset/key/done/", account.password_reset_from_key_done, name="account_reset_password_from_key_done"),
    path("2fa/", include("allauth.mfa.urls")),
    path("sessions/", include("allauth.usersessions.urls")),
    path("3rdparty/login/cancelled/", socialaccount.login_cancelled, name="socialaccount_login_cancelled"),
    path("3rdparty/login/error/", socialaccount.login_error, name="socialaccount_login_error"),
    path("", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("organisation/", views.organisation_sign_in, name="organisation_sign_in"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
