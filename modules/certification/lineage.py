"""The train-the-trainers lineage (kursholderkjede): who certified whom, and reach.

Edges are certificates of the trainer course ("kursholder") with a certifier. The whole
edge list is read in one statement and the tree built in Python, so the pages run a fixed
number of statements.

Reach (rekkevidde) is the people a trainer reached directly, plus the reach of everyone
they certified, down the tree. "Reached directly" comes from reach sources: by default the
trainers they certified; course runs add the participants who completed runs they led
through ``register_reach_source``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from modules.accounts.models import Unit, User
from modules.catalog.models import Course
from modules.core.extensions import db

from .models import Certificate

TRAINER_COURSE = "kursholder"

# source(trainer_ids) -> {trainer_id: {user_id, ...}}
ReachSource = Callable[[list[int]], dict[int, set[int]]]
_reach_sources: list[ReachSource] = []


def register_reach_source(source: ReachSource) -> None:
    if source not in _reach_sources:
        _reach_sources.append(source)


@dataclass
class Node:
    user: User
    generation: int
    children: list["Node"] = field(default_factory=list)
    direct: set[int] = field(default_factory=set)  # reached by this trainer themself
    reach: set[int] = field(default_factory=set)  # direct, and through those they certified

    @property
    def reach_count(self) -> int:
        return len(self.reach)


@dataclass
class Lineage:
    nodes: dict[int, Node]  # every trainer in the tree
    parents: dict[int, list[int]]  # trainer -> certifiers (first is the tree parent)
    roots: list[Node]


def _edges(course_slug: str) -> list[tuple[int, int | None]]:
    """(holder, certifier) for every certificate of the course, oldest first."""
    return list(db.session.execute(
        db.select(Certificate.user_id, Certificate.certifier_id)
        .join(Course, Course.id == Certificate.course_id)
        .where(Course.slug == course_slug, Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at, Certificate.id)).all())


def build_lineage(course_slug: str = TRAINER_COURSE) -> Lineage:
    """The whole national tree: three statements (edges, users, reach)."""
    edges = _edges(course_slug)
    parents: dict[int, list[int]] = {}
    holders: list[int] = []
    for holder, certifier in edges:
        if holder not in parents:
            parents[holder] = []
            holders.append(holder)
        if certifier is not None and certifier not in parents[holder] and certifier != holder:
            parents[holder].append(certifier)
    ids = set(holders) | {c for cs in parents.values() for c in cs}
    users = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))} \
        if ids else {}
    nodes = {uid: Node(user=users[uid], generation=0) for uid in holders if uid in users}
    roots = []
    for uid in holders:
        parent = next((p for p in parents[uid] if p in nodes), None)
        if parent is None:
            roots.append(nodes[uid])
        else:
            nodes[parent].children.append(nodes[uid])
    # Generations and reach, depth first from the roots; a node is visited once, so a
    # (corrupt) cycle cannot loop.
    direct = _direct_reach(list(nodes))
    seen: set[int] = set()

    def visit(node: Node, generation: int) -> set[int]:
        seen.add(node.user.id)
        node.generation = generation
        node.direct = set(direct.get(node.user.id, set())) | {c.user.id for c in node.children}
        node.direct.discard(node.user.id)
        reach = set(node.direct)
        for child in node.children:
            if child.user.id not in seen:
                reach |= visit(child, generation + 1)
        reach.discard(node.user.id)
        node.reach = reach
        return reach

    for root in roots:
        visit(root, 1)
    return Lineage(nodes=nodes, parents=parents, roots=roots)


def _direct_reach(trainer_ids: list[int]) -> dict[int, set[int]]:
    reached: dict[int, set[int]] = {}
    if not trainer_ids:
        return reached
    for source in _reach_sources:
        for trainer_id, people in source(trainer_ids).items():
            reached.setdefault(trainer_id, set()).update(people)
    return reached


@dataclass
class TrainerPage:
    user: User
    node: Node | None
    certified_by: list[User]
    certified: list[Node]


def _ancestors(lineage: Lineage, user_id: int) -> set[int]:
    """Everyone up the chain of certifiers of ``user_id`` (all certifiers, not only the
    tree parent); a (corrupt) cycle cannot loop."""
    found: set[int] = set()
    todo = list(lineage.parents.get(user_id, []))
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(lineage.parents.get(current, []))
    return found


def may_view_trainer(viewer: User, user: User, lineage: Lineage) -> bool:
    """Who may open a trainer page: the person, an admin, a leader of the person's unit,
    and a trainer whose lineage holds the person (upstream or downstream) or whose runs
    the person took part in."""
    if viewer.id == user.id or viewer.role == "admin":
        return True
    if viewer.role == "leader":
        return viewer.unit_id == user.unit_id
    if viewer.role != "trainer":
        return False
    if viewer.id in _ancestors(lineage, user.id) or user.id in _ancestors(lineage, viewer.id):
        return True
    from modules.course_runs.queries import is_participant_of

    return is_participant_of(viewer.id, user.id)


def trainer_page(user: User, lineage: Lineage | None = None) -> TrainerPage:
    lineage = lineage or build_lineage()
    node = lineage.nodes.get(user.id)
    certifier_ids = lineage.parents.get(user.id, [])
    certified_by = [lineage.nodes[c].user if c in lineage.nodes else None
                    for c in certifier_ids]
    missing = [c for c, u in zip(certifier_ids, certified_by, strict=True) if u is None]
    if missing:  # certifiers without a trainer certificate themselves (admins)
        extra = {u.id: u for u in db.session.scalars(db.select(User)
                                                     .where(User.id.in_(missing)))}
        certified_by = [u or extra.get(c) for c, u in zip(certifier_ids, certified_by,
                                                          strict=True)]
    return TrainerPage(user=user, node=node, certified_by=[u for u in certified_by if u],
                       certified=node.children if node else [])


@dataclass
class CascadeRow:
    generation: int
    unit_id: int
    trainers: int
    reached: int
    unit: str = ""  # the unit's name in the page's written standard


def national_cascade() -> tuple[list[CascadeRow], dict[int, int]]:
    """Trainers per generation and unit, with the people those trainers reached directly
    (each person counted once per row); and the number of trainers per generation."""
    lineage = build_lineage()
    rows: dict[tuple[int, int], CascadeRow] = {}
    reached: dict[tuple[int, int], set[int]] = {}
    totals: dict[int, int] = {}
    for node in lineage.nodes.values():
        if node.generation == 0:
            continue
        key = (node.generation, node.user.unit_id)
        row = rows.setdefault(key, CascadeRow(node.generation, node.user.unit_id, 0, 0,
                                              node.user.unit.label))
        row.trainers += 1
        reached.setdefault(key, set()).update(node.direct)
        totals[node.generation] = totals.get(node.generation, 0) + 1
    for key, row in rows.items():
        row.reached = len(reached[key])
    ordered = sorted(rows.values(), key=lambda r: (r.generation, r.unit))
    return ordered, dict(sorted(totals.items()))


def kept_cascade(*, refresh: bool = False) -> tuple[list[CascadeRow], dict[int, int], datetime]:
    """``national_cascade`` as the page shows it, with the moment it was computed: kept
    for REPORTS_REFRESH_SECONDS and shared by the workers like the dashboards (building
    the national tree in Python takes 60–80 ms at 20,000 users). Unit names are put in
    per request, in the page's written standard."""
    from modules.reports.queries import recent_figures

    def encode(cascade) -> dict:
        rows, totals = cascade
        return {"rows": [[r.generation, r.unit_id, r.trainers, r.reached] for r in rows],
                "totals": [[generation, count] for generation, count in totals.items()]}

    def decode(figures: dict):
        return ([CascadeRow(*row) for row in figures["rows"]],
                {generation: count for generation, count in figures["totals"]})

    (rows, totals), computed_at = recent_figures("cascade", national_cascade, encode, decode,
                                                 refresh=refresh)
    units = {unit.id: unit for unit in db.session.scalars(
        db.select(Unit).where(Unit.id.in_({row.unit_id for row in rows})))}
    named = [replace(row, unit=units[row.unit_id].label if row.unit_id in units else "")
             for row in rows]
    return sorted(named, key=lambda r: (r.generation, r.unit)), totals, computed_at
