"""Open complaints near a place: the hint a citizen sees while filing, and the likely duplicates
an officer sees on a case.

No PostGIS: a box of ±RADIUS_M around the position on the indexed latitude and longitude
(``Complaint.Meta.indexes`` "complaint_nearby": category, latitude, longitude, filing time,
state, so the database reads a thin band of the index and checks the rest there), then the
exact great-circle distance on the few rows inside. Without a position, the same subdistrict
("complaint_subdistrict_recent"). Both work the same on SQLite.

What a citizen is shown of someone else's case (``NearbyCase``): category, place, state, filing
date, distance and how many people reported it; never a name, the details, or anything at all
the citizen typed when that complainant concealed their identity (not even the place).
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from complaints.models import Complaint, ComplaintCategory, State
from complaints.querysets import OPEN_STATES
from complaints.search import normalize

RADIUS_M = 200
WINDOW_DAYS = 60
EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180
HINT_LIMIT = 5
DUPLICATE_LIMIT = 5
DUPLICATE_CANDIDATES = 200


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _box(latitude: float, longitude: float, radius_m: float) -> Q:
    """A box that holds the circle (a little larger: six decimals, as stored, rounded out)."""
    d_lat = radius_m / METRES_PER_DEGREE
    d_lon = d_lat / max(0.01, math.cos(math.radians(latitude)))

    def q(value: float) -> Decimal:
        return Decimal(f"{value:.6f}")

    return Q(
        latitude__gte=q(latitude - d_lat - 1e-6),
        latitude__lte=q(latitude + d_lat + 1e-6),
        longitude__gte=q(longitude - d_lon - 1e-6),
        longitude__lte=q(longitude + d_lon + 1e-6),
    )


def open_near(
    *,
    category: ComplaintCategory | int,
    latitude: float | None = None,
    longitude: float | None = None,
    subdistrict=None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    exclude_pk: int | None = None,
    queryset: QuerySet | None = None,
) -> list[tuple[Complaint, float | None]]:
    """Open cases of ``category`` filed in the window, within RADIUS_M of the position (nearest
    first, with their distance), or in ``subdistrict`` when there is no position (newest first,
    distance None). Never a case merged into another (it is closed anyway)."""
    since = since or timezone.now() - datetime.timedelta(days=WINDOW_DAYS)
    cases = (queryset if queryset is not None else Complaint.objects.all()).filter(
        category=category, state__in=OPEN_STATES, submitted_at__gte=since
    )
    if until is not None:
        cases = cases.filter(submitted_at__lte=until)
    if exclude_pk is not None:
        cases = cases.exclude(pk=exclude_pk)
    if latitude is not None and longitude is not None:
        inside = cases.filter(_box(latitude, longitude, RADIUS_M)).order_by()
        found = [
            (case, distance_m(latitude, longitude, case.latitude, case.longitude))
            for case in inside.select_related("category")
        ]
        found = [(case, metres) for case, metres in found if metres <= RADIUS_M]
        return sorted(found, key=lambda pair: (pair[1], -pair[0].pk))
    if subdistrict is None:
        return []
    recent = cases.filter(target_subdistrict=subdistrict).order_by("-submitted_at", "-pk")
    return [(case, None) for case in recent.select_related("category")[:DUPLICATE_CANDIDATES]]


# What a citizen filing a complaint is shown ------------------------------------------------


@dataclass(frozen=True)
class NearbyCase:
    pk: int
    category: str
    place: str  # "" when the complainant concealed their identity
    state: str
    state_label: str
    submitted_at: datetime.datetime
    reporters: int
    distance_m: int | None
    concealed: bool
    own: bool
    following: bool


def reporters(pks: list[int]) -> dict[int, int]:
    """How many people reported each case: its complainant and everyone following it."""
    counted = (
        Complaint.objects.filter(pk__in=pks)
        .annotate(people=Count("followers"))
        .values_list("pk", "people")
    )
    return {pk: 1 + people for pk, people in counted}


def filing_hint(
    *, citizen, category, latitude=None, longitude=None, subdistrict=None
) -> list[NearbyCase]:
    """The open cases a citizen about to file is shown (at most HINT_LIMIT)."""
    if category is None or (subdistrict is None and (latitude is None or longitude is None)):
        return []
    found = open_near(
        category=category, latitude=latitude, longitude=longitude, subdistrict=subdistrict
    )[:HINT_LIMIT]
    pks = [case.pk for case, _metres in found]
    people = reporters(pks)
    followed = set(
        citizen.followed_complaints.filter(complaint_id__in=pks).values_list(
            "complaint_id", flat=True
        )
    )
    return [
        NearbyCase(
            pk=case.pk,
            category=case.category.name,
            place="" if case.conceal_identity else case.target_place,
            state=case.state,
            state_label=str(State(case.state).label),
            submitted_at=case.submitted_at,
            reporters=people.get(case.pk, 1),
            distance_m=None if metres is None else round(metres),
            concealed=case.conceal_identity,
            own=case.citizen_id == citizen.pk,
            following=case.pk in followed,
        )
        for case, metres in found
    ]


# What an officer is shown on a case ---------------------------------------------------------


def _trigrams(text: str) -> set[str]:
    text = " ".join(normalize(text).split())
    return {text[i : i + 3] for i in range(max(0, len(text) - 2))}


def text_similarity(first: str, second: str) -> float:
    """Share of three-letter pieces two texts have in common (0 to 1; Jaccard), computed
    here so that SQLite and PostgreSQL agree."""
    a, b = _trigrams(first), _trigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Duplicate:
    complaint: Complaint
    distance_m: int | None
    similarity: int  # percent
    reporters: int


def likely_duplicates(complaint: Complaint, *, visible: QuerySet) -> list[Duplicate]:
    """Open cases of the same category, within RADIUS_M (or in the same subdistrict when either
    has no position) and filed within WINDOW_DAYS of this one, the most similar text first."""
    window = datetime.timedelta(days=WINDOW_DAYS)
    common = {
        "category": complaint.category_id,
        "since": complaint.submitted_at - window,
        "until": complaint.submitted_at + window,
        "exclude_pk": complaint.pk,
        "queryset": visible,
    }
    found: dict[int, tuple[Complaint, float | None]] = {}
    if complaint.latitude is not None and complaint.longitude is not None:
        for case, metres in open_near(
            latitude=float(complaint.latitude), longitude=float(complaint.longitude), **common
        ):
            found[case.pk] = (case, metres)
    for case, _none in open_near(subdistrict=complaint.target_subdistrict_id, **common):
        if case.pk not in found and (case.latitude is None or complaint.latitude is None):
            found[case.pk] = (case, None)
    people = reporters(list(found))
    scored = [
        Duplicate(
            complaint=case,
            distance_m=None if metres is None else round(metres),
            similarity=round(100 * text_similarity(complaint.details, case.details)),
            reporters=people.get(case.pk, 1),
        )
        for case, metres in found.values()
    ]
    scored.sort(
        key=lambda d: (
            -d.similarity,
            d.distance_m if d.distance_m is not None else 10**9,
            d.complaint.pk,
        )
    )
    return scored[:DUPLICATE_LIMIT]
