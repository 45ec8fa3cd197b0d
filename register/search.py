"""Searching the register: the one place that chooses how, by the database in use.

On PostgreSQL, full-text search in English (``django.contrib.postgres.search``): words are stemmed, so
"exploited" finds "exploitation", and matches are ranked. The text is read as a web search
(``websearch_to_tsquery``), which never fails on punctuation, quotes or operators. Elsewhere (SQLite, in
development and one of the test runs), a plain search: every word typed must appear somewhere in the fields,
in any case.

:func:`matching` narrows a queryset of findings or actions to those that match and annotates each with
``search_rank`` (higher is better; 0 for every match where nothing ranks).
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import FloatField, Model, Q, QuerySet, Value

from actions.models import Action
from inspections.models import Finding

#: The longest search the page takes: a longer one is refused by the form, and cut here by anything else.
MAX_LENGTH = 200
#: The full-text configuration: the partnerships write in English.
CONFIG = "english"

#: What is searched, per model: each finding's words and its source's theme; each action's reference,
#: description, measure of success and its source's theme.
FIELDS: dict[type[Model], tuple[str, ...]] = {
    Finding: ("text", "inspection__theme"),
    Action: ("reference", "description", "measure_of_success", "plan__inspection__theme"),
}


def cleaned(text: str) -> str:
    """The search as the database is asked it: no NUL characters (PostgreSQL refuses them), at most
    :data:`MAX_LENGTH` characters, spaces collapsed."""
    return " ".join(text.replace("\x00", " ")[:MAX_LENGTH].split())


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The rows of ``queryset`` that ``text`` finds, each annotated with ``search_rank``; all of them, ranked 0,
    when ``text`` has no words."""
    fields = FIELDS[queryset.model]
    text = cleaned(text)
    if not text:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return _full_text(queryset, fields, text)
    return _every_word(queryset, fields, text)


def _full_text(queryset: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector(*fields, config=CONFIG)
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    return queryset.annotate(search_vector=vector, search_rank=SearchRank(vector, query)).filter(search_vector=query)


def _every_word(queryset: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    each_word = [reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)) for word in text.split()]
    return queryset.filter(reduce(and_, each_word)).annotate(search_rank=Value(0.0, output_field=FloatField()))
