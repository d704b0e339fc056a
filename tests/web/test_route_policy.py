"""Every route of the app, for every role, against the one policy.

The routes are discovered from the app (a new route is checked without anyone listing it):
each must declare the policy's action it serves (``openapi_extra=needs(...)``), and each
role's answer must be what :func:`smartmoves.pathway.policy.may` says for that action, the
pilot (a draft is hidden from members) and the object the path names (a workgroup and its
coach and members, a coach's checklist). A member or supervisor asking for another
workgroup's objects by id is refused. Refused writes change nothing.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from smartmoves.data.store import db
from smartmoves.data.store.models import AuditEntry, Workgroup
from smartmoves.pathway import jobs
from smartmoves.pathway._store import store
from smartmoves.pathway.act import connect
from smartmoves.pathway.pilots import create_pilot
from smartmoves.pathway.policy import PERMISSIONS, ROLES, Account, Subject, may
from smartmoves.pathway.setup.users import authenticate
from smartmoves.web import create_app
from smartmoves.web.permissions import AppRoute, app_routes

from demoworkspace import Demo, small_demo
from services import ADMIN
from webutil import csrf_of

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Actions of a whole pilot granted to the members of any of its workgroups.
PILOT_WIDE = {"frontline.read", "frontline.enter"}


@dataclass(frozen=True)
class Group:
    id: int
    coach_id: str | None
    members: frozenset[str]


@dataclass(frozen=True)
class World:
    demo: Demo
    pilot: int
    draft: int
    unit: str
    groups: tuple[Group, ...]
    job: int
    accounts: dict[str, Account]
    clients: dict[str, TestClient]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    demo = small_demo(tmp_path_factory.mktemp("routes") / "demo")
    settings = demo.settings
    unit = demo.truth["best_entry_point"]["unit_id"]
    draft = create_pilot(settings, ADMIN, "Still a draft", unit_id=unit).id
    job = jobs.submit(settings, ADMIN, connect.ANALYSIS_JOB, "workspace", {}).id
    with db.transaction(store(settings)) as session:
        rows = session.query(Workgroup).order_by(Workgroup.id).all()
        pilot = rows[0].pilot_id
        from smartmoves.data.store import coaching

        groups = tuple(
            Group(w.id, w.coach_id, frozenset(coaching.members_of(session, w.id))) for w in rows
        )
    accounts, clients, tokens = {}, {}, {}
    for login in demo.logins:
        found = authenticate(settings, login.email, login.password)
        assert found is not None
        accounts[login.role] = found
        client = TestClient(create_app(settings), base_url="https://testserver")
        token = csrf_of(client.get("/login").text)
        answer = client.post(
            "/login",
            data={"email": login.email, "password": login.password, "csrf": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        clients[login.role] = client
        tokens[login.role] = csrf_of(client.get("/").text)
    return World(demo, pilot, draft, unit, groups, job, accounts, clients, tokens)


def _discover() -> list[AppRoute]:
    """Every route of the app, read from a throwaway workspace's app."""
    import tempfile

    from smartmoves.pathway.setup.workspace import init_workspace
    from smartmoves.settings import get_settings

    with tempfile.TemporaryDirectory() as tmp:
        folder = init_workspace(Path(tmp) / "ws")
        return app_routes(create_app(get_settings(folder)))


ROUTES = _discover()
PARAMS = re.compile(r"\{(\w+)(?::\w+)?\}")


def _label(route: AppRoute) -> str:
    return f"{','.join(sorted(route.methods))} {route.path}"


def test_every_route_declares_an_action_of_the_policy() -> None:
    missing = [_label(r) for r in ROUTES if r.action is None]
    assert not missing, f"routes that declare no action (openapi_extra=needs(...)): {missing}"
    unknown = {_label(r): r.action for r in ROUTES if r.action not in (*PERMISSIONS, "public")}
    assert not unknown, f"routes naming an action the policy does not have: {unknown}"


def test_admin_may_do_everything_and_every_role_is_known() -> None:
    admin = Account(1, "a@example.org", "admin", "P1", None)
    assert all(may(admin, action) for action in PERMISSIONS)
    for action, rule in PERMISSIONS.items():
        assert set(rule.roles) <= set(ROLES), action


@dataclass(frozen=True)
class Case:
    route: AppRoute
    method: str
    url: str
    pilot: int | None
    group: Group | None
    coach: str | None

    def subject(self, world: World) -> Subject:
        if self.group is not None:
            return Subject.workgroup(self.group.coach_id, self.group.members)
        if self.pilot == world.pilot and self.route.action in PILOT_WIDE:
            # A page of the whole pilot that its workgroups' members may open.
            members = frozenset(m for g in world.groups for m in g.members)
            return Subject(person_id=self.coach, members=members)
        return Subject(person_id=self.coach)

    def expected(self, world: World, role: str) -> bool:
        account = world.accounts[role]
        action = self.route.action
        if action == "public":
            return True
        if self.pilot is not None:
            draft = self.pilot == world.draft
            if not may(account, "pilot.read", Subject(draft=draft)):
                return False
        assert action is not None
        return may(account, action, self.subject(world))


def _cases(world: World) -> list[Case]:
    """Each route with its path filled in: the demo pilot and the draft one, each
    workgroup (so every role meets its own and others'), each coach's checklist."""
    coaches = sorted({g.coach_id for g in world.groups if g.coach_id})
    cases = []
    for route in ROUTES:
        if route.action is None:
            continue  # test_every_route_declares_an_action_of_the_policy names it
        names = PARAMS.findall(route.path)
        pilots = [world.pilot, world.draft] if "pilot_id" in names else [None]
        groups: list[Group | None] = list(world.groups) if "workgroup_id" in names else [None]
        people: list[str | None] = list(coaches) if "coach_id" in names else [None]
        for method in sorted(route.methods - {"HEAD"}):
            for pilot in pilots:
                for group in groups:
                    if group is not None and pilot == world.draft:
                        continue  # the draft pilot has no workgroups
                    for coach in people:
                        if coach is not None and pilot == world.draft:
                            continue
                        values = {
                            "pilot_id": pilot,
                            "workgroup_id": group.id if group else None,
                            "coach_id": coach,
                            "unit_id": world.unit,
                            "part": "focus",
                            "job_id": world.job,
                            "catalyst_id": 1,  # the demo's catalyst
                            "metric_id": "FL-PTP",
                        }
                        url = PARAMS.sub(lambda m, v=values: str(v[m.group(1)]), route.path)
                        cases.append(Case(route, method, url, pilot, group, coach))
    return cases


# ------------------------------------------------------------------ sample bodies
def _sample(annotation: Any) -> Any:
    """A value of ``annotation`` that passes validation (a form or JSON field)."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _sample(get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        return _sample(options[0])
    if origin in (list, tuple, set):
        return [_sample(get_args(annotation)[0] if get_args(annotation) else str)]
    if origin is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {
            name: _sample(field.annotation)
            for name, field in annotation.model_fields.items()
            if field.is_required() or field.annotation in (str,)
        }
    if annotation is bool:
        return False
    if annotation is int:
        return 1
    if annotation is float:
        return 1.0
    return "x"


def _body(route: AppRoute) -> dict[str, Any]:
    """Keyword arguments for the test client: a form or a JSON body that validates."""
    params = route.body_params
    if not params:
        return {}
    is_form = any(type(p.field_info).__name__ == "Form" for p in params)
    if is_form:
        return {"data": {p.alias: _sample(p.field_info.annotation) for p in params}}
    if len(params) == 1 and not getattr(params[0].field_info, "embed", False):
        return {"json": _sample(params[0].field_info.annotation)}
    return {"json": {p.alias: _sample(p.field_info.annotation) for p in params}}


def _audit_rows(world: World) -> int:
    with db.transaction(store(world.demo.settings)) as session:
        return session.query(AuditEntry).count()


def _request(world: World, role: str, case: Case) -> Any:
    client = world.clients[role]
    headers = {"X-CSRF-Token": world.tokens[role]}
    body = _body(case.route) if case.method in UNSAFE else {}
    return client.request(case.method, case.url, headers=headers, follow_redirects=False, **body)


def _refused(answer: Any) -> bool:
    return answer.status_code in (403, 404)


def _answered(answer: Any) -> bool:
    """Served: a page, a redirect, or a 404 for something the path's objects do not have
    yet (no plan, no application), never a refusal or a hidden pilot."""
    if answer.status_code == 404:
        return not any(w in answer.text for w in ("no pilot", "no workgroup", "no such page"))
    return answer.status_code < 400


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_api_read_answers_each_role_as_the_policy_says(
    world: World, role: str
) -> None:
    wrong = []
    for case in _cases(world):
        if case.method in UNSAFE:
            continue
        answer = _request(world, role, case)
        allowed = case.expected(world, role)
        ok = _answered(answer) if allowed else _refused(answer)
        if not ok:
            wrong.append(f"{case.method} {case.url}: {answer.status_code} (allowed: {allowed})")
    assert not wrong, f"{role}: " + "; ".join(wrong)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_every_refused_write_is_refused_and_changes_nothing(world: World, role: str) -> None:
    before = _audit_rows(world)
    wrong = []
    for case in _cases(world):
        if case.method not in UNSAFE or case.expected(world, role):
            continue
        answer = _request(world, role, case)
        if not _refused(answer):
            wrong.append(f"{case.method} {case.url}: {answer.status_code}")
    assert not wrong, f"{role} was not refused: " + "; ".join(wrong)
    assert _audit_rows(world) == before, "a refused write left a trace in the audit log"


def test_a_member_never_sees_a_draft_pilot(world: World) -> None:
    member = world.clients["member"]
    assert "Still a draft" not in member.get("/pilots").text
    assert all(p["status"] != "draft" for p in member.get("/api/v1/pilots").json())
    assert member.get(f"/pilots/{world.draft}").status_code == 404
    assert member.get(f"/api/v1/pilots/{world.draft}").status_code == 404
    champion = world.clients["champion"]
    assert champion.get(f"/pilots/{world.draft}").status_code == 200


def test_a_member_finds_their_own_row_in_their_workgroup_and_cell(world: World) -> None:
    me = world.accounts["member"].person_id
    mine = next(g for g in world.groups if me in g.members)
    member = world.clients["member"]
    # The demo's people have names: the row shows the member's, not their id.
    name = member.get(f"/api/v1/pilots/{world.pilot}/workgroups").json()["who"][me]["name"]
    assert name and name != me
    for path in (f"/pilots/{world.pilot}/workgroups", f"/pilots/{world.pilot}/cells"):
        page = member.get(path).text
        rows = re.findall(r"<tr[^>]*>.*?</tr>", page, re.S)
        marked = [r for r in rows if 'class="me"' in r]
        assert len(marked) == 1 and name in marked[0] and "(you)" in marked[0], path
    assert mine.members  # (the member is in a workgroup of the demo's pilot)
    admin = world.clients["admin"].get(f"/pilots/{world.pilot}/workgroups").text
    assert 'class="me"' not in admin  # the admin is nobody's row


def test_the_pilot_page_says_what_its_status_means_and_what_would_move_it(world: World) -> None:
    """The demo's pilot has formed, coached workgroups: whatever its status, the admin reads
    how far it has come; a member reads what the status means, and no counts."""
    status = world.clients["admin"].get(f"/api/v1/pilots/{world.pilot}").json()["status"]
    admin = world.clients["admin"].get(f"/pilots/{world.pilot}").text
    member = world.clients["member"].get(f"/pilots/{world.pilot}").text
    groups = len(world.groups)
    coached = sum(g.coach_id is not None for g in world.groups)
    progress = f"{groups} workgroups ({coached} with a coach"
    assert status in ("recruiting", "running") and progress in admin
    meaning = {"recruiting": "the call for volunteers is open", "running": "redefined work"}
    assert meaning[status] in admin and meaning[status] in member
    assert progress not in member


@pytest.mark.parametrize("role", ROLES)
def test_no_page_offers_a_link_the_role_cannot_open(world: World, role: str) -> None:
    """Follow every link of every page a role reaches from the overview: none is refused."""
    client = world.clients[role]
    seen, queue, dead = {"/"}, ["/"], []
    while queue and len(seen) < 400:
        page = queue.pop()
        answer = client.get(page, follow_redirects=False)
        if _refused(answer):
            dead.append(f"{page}: {answer.status_code}")
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        for href in re.findall(r'href="(/[^"#?]*)', answer.text):
            if href.startswith(("/static/", "/api/")) or href in seen:
                continue
            seen.add(href)
            queue.append(href)
    assert not dead, f"{role} is offered links it cannot open: {dead}"
    assert len(seen) > 5  # the crawl did reach the pathway's pages
