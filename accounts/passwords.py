"""The rules a new password must pass, in one place: the validators ``AUTH_PASSWORD_VALIDATORS`` lists.

Every page and command that sets a password a person chose or was given (an invitation, a reset link, a
change of password, a temporary password, ``manage.py changepassword``) asks Django's ``validate_password``,
which runs these in the order the setting lists them, most useful message first:

1. not the same as the current password (:class:`NotCurrentPasswordValidator`);
2. at least 12 characters; not like the person's name, username or email address; not one of the 20,000
   common passwords Django ships; not only numbers (Django's own validators, in GOV.UK words);
3. hard to guess (:class:`GuessablePasswordValidator`): zxcvbn's estimate of the guesses it takes, from its
   offline lists of the 30,000 most common passwords in breached-password corpora, common words, names and
   surnames, and its patterns: a repeated character or block ("aaaaaaaaaaaa", "abcabcabcabc"), letters or
   digits in order ("abcdefghijkl", "123456789012"), rows of keys ("qwertyuiopas"), dates and years, and
   the same words with capitals, numbers for letters or a few symbols added ("Password123!").

A page shows only the first rule a password breaks (GOV.UK shows one message per field): see
``accounts.forms.ChoosePasswordForm``.
"""

from __future__ import annotations

import re
import threading

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

#: The hint under a "choose a password" field: how to pass every rule at once.
HINT = "Use at least 12 characters. 3 or more random words make a password that is easy to remember and hard to guess."


class NotCurrentPasswordValidator:
    """Refuse the password the person has now: a new password must be new.

    Django gives validators the user before it sets the new password, so their stored hash is still the
    current one. Someone with no usable password (an invitation not yet accepted) is never refused.
    """

    def validate(self, password: str, user=None) -> None:
        if user is None or not user.has_usable_password():
            return
        # hashers.check_password, not user.check_password: checking must not re-save the user's hash.
        if check_password(password, user.password):
            raise ValidationError(
                "Your password must not be the same as your current password", code="password_is_current"
            )

    def get_help_text(self) -> str:
        return "Your password must not be the same as your current password."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Your password must be at least {self.min_length} characters"

    def get_help_text(self) -> str:
        return f"Your password must be at least {self.min_length} characters long."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "Your password must not be like your %(verbose_name)s"

    def get_help_text(self) -> str:
        return "Your password must not be like your name, username or email address."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords (derived from breached ones), with a GOV.UK message."""

    def get_error_message(self) -> str:
        return "Your password must not be a common password"

    def get_help_text(self) -> str:
        return "Your password must not be a common password."


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Your password must not be only numbers"

    def get_help_text(self) -> str:
        return "Your password must not be only numbers."


#: zxcvbn refuses to read more than this many characters; a longer password is judged by its start, so a
#: repeated character or a row of keys is refused however long it goes on.
ZXCVBN_MAX_LENGTH = 72

#: zxcvbn keeps the words it is given about the person in a module-level dictionary while it works.
_zxcvbn_lock = threading.Lock()

TOO_EASY = "Your password is too easy to guess: use 3 or more random words"


class GuessablePasswordValidator:
    """Refuse a password zxcvbn scores below ``min_score`` (0 to 4; 3 means about 10^8 guesses or more).

    The message names the longest easy-to-guess part of the password, as zxcvbn's own feedback does, in
    plain English.
    """

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        if not password:  # zxcvbn fails on an empty password; it is the easiest of all to guess
            raise ValidationError(TOO_EASY, code="password_too_guessable")
        with _zxcvbn_lock:
            result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=_words_about(user))
        if result["score"] < self.min_score:
            raise ValidationError(_message(result["sequence"]), code="password_too_guessable")

    def get_help_text(self) -> str:
        return (
            "Your password must not be easy to guess, like a repeated character, letters or numbers in order, "
            "a row of keys on a keyboard, or a common password with a few changes."
        )


#: Words anyone guessing a password here tries first (ASVS 6.1.2): the service's own, and the words of
#: safeguarding partnerships' work. The person's own partnership and agency names are added to them.
CONTEXT_WORDS = (
    "jtai",
    "tracker",
    "action plan",
    "safeguarding",
    "partnership",
    "children",
    "inspection",
    "ofsted",
    "council",
    "police",
    "probation",
    "quadrant",
    "northumberland",
)


def _words_about(user) -> list[str]:
    """The service's words, and the person's names, username, email address, partnership and agency, whole and
    in parts: guessed first by anyone who knows them."""
    words = list(CONTEXT_WORDS)
    if user is None:
        return words
    values = [getattr(user, name, "") or "" for name in ("username", "first_name", "last_name", "email")]
    person = getattr(user, "person", None) if getattr(user, "pk", None) else None
    if person is not None:
        values += [person.partnership.name, person.partnership.local_authority, person.agency.name]
    for value in values:
        words += [value, *(part for part in re.split(r"\W+", value) if len(part) >= 3)]
    return [word for word in words if word]


def _message(sequence: list[dict]) -> str:
    if not sequence:
        return TOO_EASY
    weakest = max(sequence, key=lambda match: len(match["token"]))
    pattern = weakest["pattern"]
    if pattern == "repeat":
        return "Your password must not be a character or group of characters repeated, like aaaaaa or abcabc"
    if pattern == "sequence":
        return "Your password must not be letters or numbers in order, like abcdef or 123456"
    if pattern == "spatial":
        return "Your password must not be a row or pattern of keys on a keyboard, like qwerty or 1q2w3e"
    if pattern in ("date", "regex"):
        return "Your password must not be mostly a date or a year"
    if pattern == "dictionary":
        if weakest["dictionary_name"] == "passwords":
            return "Your password must not be a common password, or a common password with a few changes"
        if weakest["dictionary_name"] == "user_inputs" and weakest["matched_word"] not in CONTEXT_WORDS:
            return "Your password must not contain your name, username, email address or partnership"
        return "Your password must not be a single word or name with a few changes: use 3 or more random words"
    return TOO_EASY
