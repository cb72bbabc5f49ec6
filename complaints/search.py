"""Officers' search over complaints: Thai text, names and phone numbers, ranked, on any database.

Thai is written without spaces between words, so the search looks for what the officer typed as
a substring, never as a word. Each complaint keeps two normalised copies made when it is filed
(``Complaint.search_text``: tracking number, agency, place, address and area, a newline, then the
details; ``Complaint.search_person``: the complainant's names and phone as 0812345678), and
every word typed must be found in one of them, or in the name of the complaint's category or of
the agency it was forwarded to. On PostgreSQL both columns carry a pg_trgm GIN index (migration
``complaints.0007``), which serves ``LIKE '%…%'`` for any word of three characters or more (a
trigram); SQLite reads every row, slower, with the same answers.

- Normalisation (``normalize``) is the same for the stored copies and the words typed: Unicode
  NFC, Thai digits as Arabic ones, lower case, zero-width characters dropped, the two ways of
  typing sara am with a tone mark (น + ้ + ำ and น + ำ + ้; ํ + า for ำ) made one, and the tone
  marks written as characters pg_trgm counts as letters (``MARKS_AS_LETTERS``), or each word
  with a tone mark would be indexed as two pieces found nearly everywhere.
- Words shorter than three characters cannot use the index: they only narrow what the other
  words found. A query made only of such words is refused with a message (``Query.problem``).
- A complete tracking number, or a complete phone number that belongs to exactly one case the
  officer may see the complainant of, opens that case directly (``jump_target``).
- Concealment: the complainant's names and phone are searched only for those who may see the
  identity (``complainant_display``'s rule: the centre's officers; an agency member only on a
  case that was not concealed), so a search can never tell who filed a concealed case.
- Ranking (``search``): among the newest ``CANDIDATES`` matches, the best first: a word found
  in the place, address, area, tracking number or the complainant's name or phone counts 3,
  in the category 2, in the forwarded agency or the details 1 (each word its best), and +2 when
  the words appear together as typed; ties go to the newer case. Past ``CANDIDATES`` matches
  the list says so, and the officer narrows the search.
"""

import datetime
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_centre_staff
from complaints.access import agency_id_of

MIN_CHARS = 3  # pg_trgm's trigram: shorter words cannot be looked up in the index
MAX_WORDS = 8
CANDIDATES = 1000
BROAD_MATCHES = 3 * CANDIDATES  # expected matches beyond which recent months go first
RECENT_DAYS = (60, 365)  # one word: recent months first, newest first
RECENT_DAYS_COMBINED = (365,)  # several words: the last year, then everything
HEAD_END = "\n"  # between the short fields and the details in ``search_text``

# pg_trgm keeps only letters and digits in its trigrams: under C.UTF-8 and the usual Thai
# locales the tone marks and a few other signs (็ ่ ้ ๊ ๋ ์ ๎) are not letters, so every word
# that carries one (most Thai words) would be cut in two at it and "ท่อ" looked up as "ท" and
# "อ", found nearly everywhere. In the copies and the words typed they become Lao digits,
# which pg_trgm counts as letters, no Thai text contains, and normalising again leaves as
# they are (``normalize`` is idempotent).
MARKS_AS_LETTERS = str.maketrans("\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4e", "໑໒໓໔໕໖໗")
ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
UNIFORM = str.maketrans(THAI_DIGITS, "0123456789", ZERO_WIDTH)
NEEDS_UNIFORM = re.compile(f"[{ZERO_WIDTH}{THAI_DIGITS}]")
SARA_AM = "\u0e33"
TONE_THEN_SARA_AM = re.compile("\u0e33([\u0e48-\u0e4b])")
TRACKING = re.compile(r"([a-z]{2,5})[-\s]?(\d{4})[-\s]?(\d{6,})")  # any province's prefix
PHONE_LIKE = re.compile(r"\+?[0-9][0-9\-\s().]*")

WEIGHT_HEAD = 3
WEIGHT_PERSON = 3
WEIGHT_CATEGORY = 2
WEIGHT_AGENCY = 1
WEIGHT_DETAILS = 1
WEIGHT_TOGETHER = 2


def normalize(text: str) -> str:
    """The form both the stored copies and the words typed are compared in."""
    text = unicodedata.normalize("NFC", str(text or ""))
    if NEEDS_UNIFORM.search(text):
        text = text.translate(UNIFORM)
    text = text.casefold().replace("\u0e4d\u0e32", SARA_AM)
    if SARA_AM in text:
        text = TONE_THEN_SARA_AM.sub(r"\1" + SARA_AM, text)
    return " ".join(text.translate(MARKS_AS_LETTERS).split())


def national_phone(digits: str) -> str:
    """66812345678 (from +66 81 234 5678) -> 0812345678; other digits as they are."""
    if digits.startswith("66") and len(digits) in (10, 11):
        return "0" + digits[2:]
    return digits


# PostgreSQL's indexes (created by migration 0007; the benchmark rebuilds them after a bulk load)
TRIGRAM_INDEXES = {
    "complaint_search_text_trgm": "search_text",
    "complaint_search_person_trgm": "search_person",
}


def create_trigram_indexes(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, column in TRIGRAM_INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON complaints_complaint "
                f"USING gin ({column} gin_trgm_ops)"
            )


def drop_trigram_indexes(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in TRIGRAM_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


# What each complaint keeps -----------------------------------------------------------------


def text_of(complaint, *, area: tuple[str, ...] | None = None) -> str:
    """``Complaint.search_text``: the short fields, a newline, the details (all normalised).
    ``area``: the subdistrict's and district's names, when the caller has them at hand."""
    if area is None:
        area = tuple(
            getattr(complaint, name).name_th
            for name in ("target_subdistrict", "target_district")
            if getattr(complaint, f"{name}_id", None)
        )
    head = " ".join(
        normalize(part)
        for part in (
            complaint.tracking_number,
            complaint.target_agency,
            complaint.target_place,
            complaint.target_address,
            *area,
        )
        if part
    )
    return f"{head}{HEAD_END}{normalize(complaint.details)}"


def person_of(complaint) -> str:
    """``Complaint.search_person``: names and the phone as Thai people write it (0812345678)."""
    phone = national_phone(re.sub(r"\D", "", complaint.complainant_phone or ""))
    names = normalize(f"{complaint.complainant_first_name} {complaint.complainant_last_name}")
    return f"{names} {phone}".strip()


# What was typed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    tracking_number: str = ""
    phone: str = ""  # a whole phone number, 0812345678

    @property
    def indexed_words(self) -> tuple[str, ...]:
        return tuple(word for word in self.words if len(word) >= MIN_CHARS)

    @property
    def problem(self) -> str:
        """Why nothing is searched (a Thai sentence), or ""."""
        if self.words and not self.indexed_words:
            return _("คำค้นสั้นเกินไป กรุณาพิมพ์อย่างน้อย %(count)d ตัวอักษร") % {"count": MIN_CHARS}
        return ""


def _word(raw: str) -> str:
    if PHONE_LIKE.fullmatch(raw):
        digits = re.sub(r"\D", "", raw)
        return national_phone(digits) if raw.startswith("+") or len(digits) >= 10 else digits
    return normalize(raw)


def parse(term: str) -> Query:
    """Words (at most MAX_WORDS); a tracking number or whole phone number is also noted."""
    text = normalize(term)
    if not text:
        return Query()
    tracking = TRACKING.fullmatch(text)
    raw_words = text.split()
    if PHONE_LIKE.fullmatch(text):
        raw_words = [text]  # "081 234 5678" is one number
    words = tuple(dict.fromkeys(w for w in (_word(raw) for raw in raw_words[:MAX_WORDS]) if w))
    phone = ""
    if len(words) == 1 and words[0].isdigit() and words[0].startswith("0"):
        phone = words[0] if len(words[0]) in (9, 10) else ""
    number = "-".join(tracking.groups()).upper() if tracking else ""
    return Query(words=words, tracking_number=number, phone=phone)


# Who may find what -------------------------------------------------------------------------


def identity_searchable(viewer) -> Q | None:
    """Cases whose complainant ``viewer`` may find by name or phone: all for the centre's
    officers, those not concealed for an agency member (who only sees its own cases)."""
    if is_centre_staff(viewer):
        return Q()
    if agency_id_of(viewer) is not None:
        return Q(conceal_identity=False)
    return None


@dataclass
class _Names:
    """Category and agency names, normalised once per search (both tables are small)."""

    categories: dict[int, str] = field(default_factory=dict)
    agencies: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "_Names":
        from complaints.models import Agency, ComplaintCategory

        return cls(
            categories={
                pk: normalize(n) for pk, n in ComplaintCategory.objects.values_list("pk", "name")
            },
            agencies={pk: normalize(n) for pk, n in Agency.objects.values_list("pk", "name")},
        )

    def category_ids(self, word: str) -> list[int]:
        return [pk for pk, name in self.categories.items() if word in name]

    def agency_ids(self, word: str) -> list[int]:
        return [pk for pk, name in self.agencies.items() if word in name]


def _word_condition(word: str, names: _Names, identity: Q | None) -> Q:
    found = Q(search_text__contains=word)
    if categories := names.category_ids(word):
        found |= Q(category_id__in=categories)
    if agencies := names.agency_ids(word):
        found |= Q(agency_id__in=agencies)
    if identity is not None:
        found |= Q(search_person__contains=word) & identity
    return found


def matching(queryset: QuerySet, query: Query, *, viewer, names: _Names | None = None) -> QuerySet:
    """``queryset`` narrowed to cases where every word is found (nothing when the query is
    only short words)."""
    if query.problem:
        return queryset.none()
    names = names or _Names.load()
    identity = identity_searchable(viewer)
    for word in query.words:
        queryset = queryset.filter(_word_condition(word, names, identity))
    return queryset


def jump_target(queryset: QuerySet, term: str, *, viewer):
    """The one case a tracking number or a whole phone number names, if ``viewer`` may see
    it (and, for a phone, the complainant); None otherwise."""
    query = parse(term)
    if query.tracking_number:
        return queryset.filter(tracking_number=query.tracking_number).first()
    if query.phone:
        identity = identity_searchable(viewer)
        if identity is None:
            return None
        e164 = "+66" + query.phone[1:]
        found = list(
            queryset.filter(identity, search_person__contains=query.phone)
            .filter(complainant_phone=e164)
            .order_by()[:2]
        )
        return found[0] if len(found) == 1 else None
    return None


# Ranking -----------------------------------------------------------------------------------


def _score(row: dict, query: Query, names: _Names, identity_ok: bool) -> int:
    head_end = row["head_end"]
    total = 0
    for i, word in enumerate(query.words):
        at = row[f"t{i}"]
        best = 0
        if at:
            best = WEIGHT_HEAD if at < head_end else WEIGHT_DETAILS
        if identity_ok and row[f"p{i}"]:
            best = max(best, WEIGHT_PERSON)
        if word in names.categories.get(row["category_id"], "\0"):
            best = max(best, WEIGHT_CATEGORY)
        if word in names.agencies.get(row["agency_id"], "\0"):
            best = max(best, WEIGHT_AGENCY)
        total += best
    if len(query.words) > 1 and (row["together"] or row["together_spaced"]):
        total += WEIGHT_TOGETHER
    return total


def _ranked(pks: list[int], query: Query, names: _Names, viewer) -> list[int]:
    """``pks`` (newest first) in the order of the list: best first, then newest. Where each
    word sits is asked of the database (positions only, never the texts)."""
    from complaints.models import Complaint

    if not pks:
        return []
    identity = identity_searchable(viewer)
    positions = {f"t{i}": StrIndex("search_text", Value(w)) for i, w in enumerate(query.words)}
    positions |= {f"p{i}": StrIndex("search_person", Value(w)) for i, w in enumerate(query.words)}
    rows = Complaint.objects.filter(pk__in=pks).annotate(
        head_end=StrIndex("search_text", Value(HEAD_END)),
        together=StrIndex("search_text", Value("".join(query.words))),
        together_spaced=StrIndex("search_text", Value(" ".join(query.words))),
        **positions,
    )
    values = {
        row["pk"]: row
        for row in rows.values(
            "pk",
            "category_id",
            "agency_id",
            "conceal_identity",
            "head_end",
            "together",
            "together_spaced",
            *positions,
        )
    }
    newest = {pk: index for index, pk in enumerate(pks)}

    def key(pk: int) -> tuple[int, int]:
        row = values[pk]
        identity_ok = identity is not None and (identity == Q() or not row["conceal_identity"])
        return (-_score(row, query, names, identity_ok), newest[pk])

    return sorted((pk for pk in pks if pk in values), key=key)


class SearchResults:
    """The found cases in their ranked order, as a list the admin's paginator can page through:
    ``count()`` and slices load only the cases of the page asked for."""

    ordered = True

    def __init__(self, queryset: QuerySet, pks: list[int], *, capped: bool, problem: str = ""):
        self.queryset = queryset
        self.model = queryset.model
        self.pks = pks
        self.capped = capped
        self.problem = problem
        self.query = queryset.query

    def count(self) -> int:
        return len(self.pks)

    def __len__(self) -> int:
        return len(self.pks)

    def _load(self, pks: list[int]) -> list:
        found = self.queryset.order_by().in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.pks[index])
        return self._load([self.pks[index]])[0]

    def __iter__(self) -> Iterator:
        for start in range(0, len(self.pks), 200):
            yield from self._load(self.pks[start : start + 200])


def _ids(found: QuerySet, *, combine_indexes: bool = False) -> list[int]:
    newest = found.order_by("-submitted_at", "-pk").values_list("pk", flat=True)
    if not combine_indexes:
        return list(newest[: CANDIDATES + 1])
    # Several words: every word's trigram lookup is combined (a BitmapAnd) and only the cases
    # that hold all of them are read, instead of walking the newest cases one by one and
    # testing each, which PostgreSQL prefers when it expects the words to be common and which
    # reads tens of thousands of rows for two common words. For this one statement only.
    # (A failed statement rolls the savepoint back, and the setting with it.)
    with transaction.atomic(using=found.db), connections[found.db].cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        ids = list(newest[: CANDIDATES + 1])
        cursor.execute("SET LOCAL enable_indexscan = on")  # the rest of an outer transaction
    return ids


def _newest(found: QuerySet, query: Query) -> list[int]:
    """The newest CANDIDATES + 1 matches, newest first.

    Where PostgreSQL expects many matches, recent complaints are searched first: they are
    stored in the order they are filed, so a recent range is a part of the table instead of
    rows all over it to re-check. When a range already holds more than CANDIDATES matches,
    the newest of all are among them; otherwise the next, wider one is searched, and finally
    everything. The answer is the same either way (and on SQLite, which is searched whole).
    One word is looked up newest first in the last 60 days, then the last year; several words
    combine their indexes and are tried in the last year, then everywhere.
    """
    if connections[found.db].vendor != "postgresql":
        return _ids(found)
    combine = len(query.indexed_words) > 1
    if _expected_rows(found) > BROAD_MATCHES:
        now = timezone.now()
        for days in RECENT_DAYS_COMBINED if combine else RECENT_DAYS:
            since = now - datetime.timedelta(days=days)
            window = found.filter(submitted_at__gte=since)
            if (floor := first_id_since(since, using=found.db)) is not None:
                window = window.filter(pk__gte=floor)
            recent = _ids(window, combine_indexes=combine)
            if len(recent) > CANDIDATES:
                return recent
    return _ids(found, combine_indexes=combine)


FLOOR_CACHE_SECONDS = 2 * 3600


def first_id_since(since: datetime.datetime, *, using: str) -> int | None:
    """A lower bound of the ids of the cases filed since ``since``: the lowest id of those
    filed since the hour it falls in, kept in the cache for that hour.

    A window of recent months is a time range, but PostgreSQL can only add a range of ids to
    the words' index lookups (a third arm of their BitmapAnd on the primary key), and then
    reads only the recent part of the table to re-check the trigram matches (the rows are
    stored in the order they are filed). "ที่ดิน เข้าหมู่บ้าน" over the last year on a million
    cases: 8,174 table blocks instead of 21,802, 130 ms instead of 279. It does so only where it
    expects the words to be common; where it expects one word to be rare (its estimate comes
    from a sample) it reads that word's matches alone, as before. The bound only ever adds a
    condition every case of the window meets, so the answer is the same: an id is given when a
    case is filed, and its filing time never changes (``auto_now_add``); later cases have higher
    ids. Reading it costs an index-only scan (60 ms for a year of a million cases) once an hour.
    None when no case was filed since."""
    from django.core.cache import cache

    hour = since.replace(minute=0, second=0, microsecond=0)
    key = f"complaints:search:first-id:{using}:{hour.timestamp():.0f}"
    floor = cache.get(key)
    if floor is None:
        with connections[using].cursor() as cursor:
            # From the (submitted_at, id) index alone; ``min(id)`` by itself would walk the
            # primary key from the oldest case.
            cursor.execute(
                "SELECT min(id) FROM (SELECT id FROM complaints_complaint "
                "WHERE submitted_at >= %s OFFSET 0) AS filed",
                [hour],
            )
            floor = cursor.fetchone()[0] or 0
        cache.set(key, floor, FLOOR_CACHE_SECONDS)
    return floor or None


def _expected_rows(found: QuerySet) -> float:
    """The planner's estimate of how many cases match (no rows are read)."""
    plan = json.loads(found.order_by().values("pk").explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


def search(queryset: QuerySet, term: str, *, viewer, ordering: list | None = None) -> SearchResults:
    """The cases of ``queryset`` that match ``term``, best first (or in ``ordering``, a column
    the officer sorted by), at most CANDIDATES of them: the newest matches."""
    query = parse(term)
    if query.problem:
        return SearchResults(queryset, [], capped=False, problem=query.problem)
    names = _Names.load()
    found = matching(queryset, query, viewer=viewer, names=names)
    window = _newest(found, query)
    capped = len(window) > CANDIDATES
    window = window[:CANDIDATES]
    if ordering:
        pks = list(queryset.filter(pk__in=window).order_by(*ordering).values_list("pk", flat=True))
    else:
        pks = _ranked(window, query, names, viewer)
    return SearchResults(queryset, pks, capped=capped)
