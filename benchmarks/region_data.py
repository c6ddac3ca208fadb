"""A synthetic region for the region-mode benchmarks (issue 18): municipalities, schools with five years of
context and results (benchmarks/generate.py), the indicators computed for every year, and what the region
dashboard and the assessment of municipal mechanisms count: the ШНОР monitoring of the last two years with
cards sent on time or late and their levels, support programmes of the ШНОР with items done on time or
not, recommendations answered or not; users of every staff role.

Run inside a Django process (benchmarks/region.py calls `build` in a worker). Deterministic: the same
arguments give the same region.
"""

import random
import time
from datetime import date, datetime, timedelta
from datetime import time as clock

PASSWORD = "bench-region"


def build(*, schools: int, municipalities: int, years: list[int], progress=print) -> dict:
    import generate

    from indicators.services import statuses_compute

    started = time.perf_counter()
    generate.ensure_reference()
    ids = generate.load_schools(schools, municipalities=municipalities)
    generate.load_contexts(ids, years)
    rows = generate.load_results(ids, years)
    loaded = time.perf_counter()
    progress(f"loaded {len(ids)} schools, {rows} result rows in {loaded - started:.0f} s")
    compute_seconds = {}
    for year in years:
        begun = time.perf_counter()
        statuses_compute(year=year)
        compute_seconds[year] = round(time.perf_counter() - begun, 2)
    progress(f"computed {years}: {compute_seconds}")
    extras = build_work(years=years[-2:])
    users = build_users()
    return {
        "schools": len(ids),
        "municipalities": municipalities,
        "result_rows": rows,
        "load_seconds": round(loaded - started, 1),
        "compute_seconds": compute_seconds,
        **extras,
        "users": users,
        "seconds": round(time.perf_counter() - started, 1),
    }


def build_work(*, years: list[int]) -> dict:
    """Campaign cards, programmes with items and recommendations for the ШНОР of `years` (bulk writes)."""
    from django.utils import timezone

    from indicators.selectors import effective_members
    from monitoring.models import CardTemplate, ExpertCard, Level
    from monitoring.reference import BUILTIN_SLUG
    from monitoring.reference import seed as seed_templates
    from monitoring.services.campaigns import campaign_create
    from roadmaps.models import CycleStage, ItemStatus, Recommendation, Roadmap, RoadmapItem
    from roadmaps.reference import seed as seed_roadmaps

    seed_templates()
    seed_roadmaps()
    template = CardTemplate.objects.get(slug=BUILTIN_SLUG)
    stages = list(CycleStage.objects.order_by("number"))
    rng = random.Random(18)
    counts = {"cards": 0, "programmes": 0, "items": 0, "recommendations": 0}
    for year in years:
        shnor = sorted(effective_members(year=year)["low_results"])
        campaign = campaign_create(year=year, template=template, school_ids=shnor)
        cards = list(ExpertCard.objects.filter(campaign=campaign))
        tz = timezone.get_current_timezone()
        for card in cards:
            if rng.random() < 0.85:
                late = rng.random() < 0.25
                day = campaign.self_assessment_due + timedelta(
                    days=rng.randint(1, 10) if late else -rng.randint(0, 20)
                )
                card.submitted_at = datetime.combine(day, clock(12), tzinfo=tz)
                card.status = ExpertCard.Status.EVALUATED
                card.score = rng.randint(0, card.max_score)
                share = card.score / card.max_score
                card.level = Level.HIGH if share >= 0.8 else Level.MEDIUM if share >= 0.6 else Level.LOW
        ExpertCard.objects.bulk_update(cards, ["submitted_at", "status", "score", "level"], batch_size=2000)
        counts["cards"] += len(cards)
        programmes = Roadmap.objects.bulk_create(
            [
                Roadmap(
                    kind=Roadmap.Kind.SCHOOL,
                    school_id=sid,
                    title=f"Программа помощи ОО на {year}/{year + 1} учебный год",
                    period_start=date(year, 9, 1),
                    period_end=date(year + 1, 8, 31),
                )
                for sid in shnor
                if rng.random() < 0.8
            ],
            batch_size=2000,
        )
        counts["programmes"] += len(programmes)
        items = []
        for programme in programmes:
            for n in range(6):
                due = date(year, 9, 1) + timedelta(days=30 + 55 * n)
                done = rng.random() < 0.7
                items.append(
                    RoadmapItem(
                        roadmap=programme,
                        stage=stages[n % len(stages)],
                        number=str(n + 1),
                        position=n,
                        title=f"Мероприятие {n + 1}",
                        due_date=due,
                        status=ItemStatus.DONE if done else ItemStatus.IN_PROGRESS,
                        completed_on=due + timedelta(days=rng.randint(-20, 15)) if done else None,
                    )
                )
        RoadmapItem.objects.bulk_create(items, batch_size=5000)
        counts["items"] += len(items)
        statuses = [Recommendation.Status.SENT, Recommendation.Status.ANSWERED, Recommendation.Status.CLOSED]
        recommendations = [
            Recommendation(
                school_id=sid,
                year=year,
                problem_area="Низкие результаты ВПР по математике",
                text="Провести диагностику профессиональных дефицитов учителей математики.",
                source_kind=Recommendation.SourceKind.LIST,
                due_date=date(year + 1, 3, 1),
                status=rng.choice(statuses),
            )
            for sid in shnor
            for _ in range(2)
        ]
        Recommendation.objects.bulk_create(recommendations, batch_size=5000)
        counts["recommendations"] += len(recommendations)
    return counts


def build_users() -> dict:
    """admin, regional, one inspector per municipality (inspector_<code>), principals of the first schools.
    Roles and scope as `manage.py portal_user` gives them."""
    from django.core.management import call_command

    from schools.models import Municipality, School

    call_command("portal_user", "admin_bench", "--role", "admin", "--password", PASSWORD)
    call_command("portal_user", "regional_bench", "--role", "regional", "--password", PASSWORD)
    inspectors = []
    for code in Municipality.objects.order_by("code").values_list("code", flat=True):
        name = f"inspector_{code}"
        call_command(
            "portal_user", name, "--role", "inspector", "--municipality", code, "--password", PASSWORD
        )
        inspectors.append(name)
    principals = []
    for code in School.objects.order_by("code").values_list("code", flat=True)[:20]:
        name = f"principal_{code}"
        call_command("portal_user", name, "--role", "principal", "--school", code, "--password", PASSWORD)
        principals.append(name)
    return {
        "admin": ["admin_bench"],
        "regional": ["regional_bench"],
        "inspector": inspectors,
        "principal": principals,
    }
