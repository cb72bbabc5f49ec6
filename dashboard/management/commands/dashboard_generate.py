"""Fill a database with synthetic complaints for the benchmarks (bench/dashboard.py, and the
officers' search and nearby lookups: bench/complaint_search.py, bench/nearby.py).

Never on a real database: every complaint belongs to one bench citizen and its tracking number
starts with "BENCH-". Received dates spread over the current and two previous fiscal years up
to now; older complaints are mostly finished, recent ones mostly open; ratings for most
completed cases, a second round for some reopened ones. The text varies as real complaints do
(``bench_texts``): details made of a problem of the category, a place and a village, places
and addresses, names from common Thai names and a phone number of each complainant; about two
thirds share a position, around the subdistricts of the district, some on the same few spots
(the pothole ten people report).
"""

import contextlib
import datetime
import random
import uuid

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts import crypto
from accounts.models import User
from addresses.models import District, Province, Subdistrict
from complaints.models import Agency, Complaint, ComplaintCategory, SatisfactionRating, State
from core import province
from dashboard import bench_texts
from dashboard.periods import Period, fiscal_year_of

BATCH = 10_000
CATEGORIES = (
    "ถนนชำรุด",
    "ไฟฟ้าสาธารณะ",
    "น้ำประปา",
    "ขยะ/สิ่งแวดล้อม",
    "เหตุเดือดร้อนรำคาญ",
    "การทุจริตของเจ้าหน้าที่รัฐ",
    "ที่ดิน",
    "หนี้นอกระบบ",
)


@contextlib.contextmanager
def keep_given_dates():
    """bulk_create would stamp auto_now_add fields with now; the bench needs its own dates."""
    fields = [Complaint._meta.get_field(n) for n in ("submitted_at", "state_changed_at")]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


class Command(BaseCommand):
    help = "Synthetic complaints for the dashboard benchmark (bulk_create, 10,000 a batch)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2569)

    def handle(self, *args, count, seed, **options):
        rng = random.Random(seed)
        context = self._context()
        now = timezone.now()
        start, _end = Period.fiscal_year(fiscal_year_of(now) - 2).bounds()
        span = (now - start).total_seconds()
        made = 0
        with keep_given_dates():
            while made < count:
                size = min(BATCH, count - made)
                with transaction.atomic():
                    rows = [
                        self._complaint(
                            rng,
                            context,
                            start,
                            span * (made + i + rng.random()) / count,
                            now,
                            made + i,
                        )
                        for i in range(size)
                    ]
                    ratings = [r for c in rows for r in self._ratings(rng, c)]
                    Complaint.objects.bulk_create(rows, batch_size=BATCH)
                    SatisfactionRating.objects.bulk_create(ratings, batch_size=BATCH)
                made += size
                self.stdout.write(f"{made:,} / {count:,}")

    def _context(self) -> dict:
        citizen, _ = User.objects.get_or_create(username="bench-citizen")
        for order, name in enumerate(CATEGORIES):
            ComplaintCategory.objects.get_or_create(name=name, defaults={"sort_order": order})
        where = province.code()
        districts = list(District.objects.filter(province_id=where).order_by("code"))
        for index, district in enumerate(districts):
            Agency.objects.get_or_create(
                name=f"ที่ว่าการอำเภอ{district.name_th} (bench {index})",
                defaults={"kind": Agency.Kind.DISTRICT_OFFICE, "district": district},
            )
        areas = []
        for index, district in enumerate(districts):
            subdistricts = list(Subdistrict.objects.filter(district=district).order_by("code"))
            areas.append((district, subdistricts, bench_texts.district_centre(index)))
        return {
            "citizen": citizen,
            "province": Province.objects.get(pk=where),
            "areas": areas,
            # The first district (เมือง…, the capital's) gets the most.
            "weights": [8 if i == 0 else 1 + i % 3 for i, d in enumerate(districts)],
            "categories": list(ComplaintCategory.objects.all()),
            "agencies": list(Agency.objects.all()),
            "national_id": crypto.encrypt("3100600445635"),
        }

    def _complaint(self, rng, ctx, start, offset, now, number) -> Complaint:
        """Filed ``offset`` seconds after ``start``: rows go in in time order, as in real use."""
        submitted = start + datetime.timedelta(seconds=offset)
        age_days = (now - submitted).days
        state = self._state(rng, age_days)
        district, subdistricts, centre = rng.choices(ctx["areas"], weights=ctx["weights"])[0]
        which = rng.randrange(len(subdistricts))
        category = rng.choice(ctx["categories"])
        text = bench_texts.complaint_text(rng, category.name, subdistricts[which].name_th)
        position = bench_texts.position(rng, centre, which) if rng.random() < 0.65 else None
        completed = None
        if state == State.COMPLETED:
            completed = min(submitted + datetime.timedelta(hours=rng.randint(12, 40 * 24)), now)
        complaint = Complaint(
            tracking_number=f"BENCH-{number:09d}",
            citizen_id=ctx["citizen"].pk,
            submission_key=uuid.UUID(int=rng.getrandbits(128)),
            complainant_title=text["title"],
            complainant_first_name=text["first_name"],
            complainant_last_name=text["last_name"],
            complainant_national_id_encrypted=ctx["national_id"],
            complainant_phone=text["phone"],
            category_id=category.pk,
            details=text["details"],
            target_agency=text["agency"],
            target_place=text["place"],
            target_address=text["address"],
            target_province_id=ctx["province"].pk,
            target_district_id=district.pk,
            target_subdistrict_id=subdistricts[which].pk,
            latitude=position[0] if position else None,
            longitude=position[1] if position else None,
            location_accuracy_m=rng.choice((8, 15, 30, 65)) if position else None,
            conceal_identity=rng.random() < 0.2,
            submitted_at=submitted,
            state_changed_at=completed or submitted,
            report_due_at=Complaint.due_from(submitted),
            state=state,
            closed_reason="duplicate" if state == State.CLOSED else "",
            completed_at=completed,
            reopen_count=1 if rng.random() < 0.05 else 0,
            agency_id=rng.choice(ctx["agencies"]).pk if rng.random() < 0.7 else None,
        )
        complaint.fill_search_copies(area=(subdistricts[which].name_th, district.name_th))
        return complaint

    @staticmethod
    def _state(rng, age_days: int) -> str:
        if age_days > 60:
            weights = (2, 5, 83, 10)
        elif age_days > 15:
            weights = (15, 35, 42, 8)
        else:
            weights = (55, 30, 10, 5)
        return rng.choices(
            (State.UNDER_REVIEW, State.IN_PROGRESS, State.COMPLETED, State.CLOSED), weights
        )[0]

    @staticmethod
    def _ratings(rng, complaint) -> list[SatisfactionRating]:
        """Ratings of every round, and the latest one's score on the complaint, as
        complaints.workflow.rating_submit keeps it."""
        if complaint.state != State.COMPLETED or rng.random() > 0.6:
            return []
        rounds = range(complaint.reopen_count + 1)
        ratings = [
            SatisfactionRating(
                complaint=complaint,
                completion_round=r,
                score=rng.choices((1, 2, 3, 4, 5), (3, 5, 15, 37, 40))[0],
            )
            for r in rounds
        ]
        complaint.latest_rating_score = ratings[-1].score
        return ratings
