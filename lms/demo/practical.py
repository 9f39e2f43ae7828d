"""Expert exam attempts at every step of practical grading, for the demo.

- customer@example.com: submitted two days ago, waiting in the grading queue, so
  admin@example.com can grade it (blind) and the customer then sees the result;
- a candidate graded by one examiner, passed, with feedback;
- a candidate whose two examiners disagree, waiting for a lead examiner;
- a candidate who did not pass and appealed, waiting for a lead examiner.

Everything goes through the services, at past times, so the trail is true.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import roles
from accounts.models import Organization, User
from certificates.models import (
    AttestationStatus,
    CertificationLevelPage,
    ExperienceAttestation,
)
from exams import grading
from exams import marking_services as marking
from exams import services as exam_services
from exams.models import Attempt, ExamPage, Marking, MarkingRole

from .accounts import ensure_user
from .learning import _answer

GATEWAY_ANSWER = """Classification: P2 High. Roughly 200 of 650 agents (about 31%) are cut off, all behind one regional path, so this is a partial outage above the 30% line, not a full outage. Response within 1 hour, resolution within 8 hours, Tier 2 engaged within 2 hours; the customer is notified directly and updated every hour.

Diagnosis, in order:
1. Health endpoint from the Rotterdam subnet as well as head office: slow but answering means the gateway itself is up.
2. Certificate: renewed 40 days ago, so expiry is ruled out; I would still read the validity dates with openssl to be sure.
3. Handshake test from a Rotterdam agent with mwrasp-cli test-quantum: I expect a timeout.
4. Gateway log: handshake timeouts only for the Rotterdam subnet point at the path, not the gateway.
Entropy at 3,900 is healthy, so depletion is ruled out.

Most likely cause: Saturday's firewall review closed 9443/tcp for the Rotterdam site. Fix: add the port permanently and reload the firewall, then re-run the handshake test. If handshakes still fail, check MTU next (1450 with TCP MTU probing).

Verification: handshake test passes, the disconnected count in the dashboard falls to zero, and the customer confirms. Follow-up: ask the customer to add a check for 9443 to their firewall change review, alert on handshake failures per site, and write a knowledge base article."""

INCIDENT_ANSWER = """14:05 Alert received. A suspected data exfiltration is a security breach: P1 Critical. Response within 15 minutes, resolution within 4 hours, immediate escalation to Tier 3, executive notification.

First actions: open the war room and name a scribe; isolate the payment server and the three silent hosts from the network without powering them off, so memory and disk evidence survive; collect agent and system logs before any change. Do not wipe or reimage, and do not discuss details on public channels.

Communication: executives notified at once; the customer's SOC lead gets an update every 30 minutes from the incident commander; the war room keeps the internal timeline.

Investigation: system logs, performance metrics, configuration state and recent changes for the four hosts; 5-whys and a fishbone diagram for the root cause.

Resolution and closure: fix through the change advisory board, canary rollout with automated validation, customer confirmation. Close with the incident report, a blameless post-mortem within five days, a knowledge base article and prevention actions."""

TIMELINE = b"""Timeline (UTC)
14:05 critical anomaly alert on payment server agent
14:07 agent process terminated
14:12 three more agents silent
14:15 war room opened, P1 declared, Tier 3 paged
"""


def _public_id(rng: random.Random, share: int, *, sampled: bool) -> uuid.UUID:
    """A public id inside or outside the sampled share, so the demo story is the
    same on every machine."""
    while True:
        candidate = uuid.UUID(int=rng.getrandbits(128), version=4)
        if grading.sampled_for_second_marking(candidate.hex, share) == sampled:
            return candidate


def _approve_experience(user, exam: ExamPage) -> None:
    """Demo candidates for an exam that asks for approved experience have it."""
    if not exam.requires_experience_attestation:
        return
    for level in CertificationLevelPage.objects.filter(required_exams__exam=exam):
        ExperienceAttestation.objects.update_or_create(
            user=user,
            level=level,
            defaults={
                "months": max(level.required_experience_months, 1),
                "description": "Support engineer on the gateway and incident desk.",
                "status": AttestationStatus.APPROVED,
            },
        )


def _sit(
    user,
    exam: ExamPage,
    *,
    rng,
    skill: float,
    when,
    practical_text: dict,
    sampled: bool = False,
):
    _approve_experience(user, exam)
    attempt = exam_services.start_attempt(
        user=user, exam=exam, now=when, seed=rng.randrange(1_000_000)
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        public_id=_public_id(rng, exam.second_marking_percent, sampled=sampled)
    )
    attempt.refresh_from_db()
    answers = {}
    for question in attempt.served_questions():
        if question.qtype == "practical":
            key = "gateway" if "Rotterdam" in question.snapshot["stem"] else "incident"
            answers[question.position] = {"text": practical_text[key]}
        else:
            answers[question.position] = _answer(question.snapshot, rng, skill)
    used = when + timedelta(minutes=rng.randint(120, 170))
    exam_services.save_answers(attempt=attempt, sequence=1, answers=answers, now=used)
    for question in attempt.served_questions():
        if (
            question.qtype == "practical"
            and "payment server" in question.snapshot["stem"]
        ):
            marking.upload_hand_in(
                attempt=attempt,
                position=question.position,
                upload=SimpleUploadedFile("timeline.txt", TIMELINE),
                now=used,
            )
    return exam_services.submit_attempt(attempt=attempt, now=used)


def _grade(attempt, role, examiner, pick: int, *, when, feedback: str) -> None:
    item = Marking.objects.get(attempt=attempt, role=role)
    levels = {
        q.position: {
            c["id"]: c["levels"][min(pick, len(c["levels"]) - 1)]["id"]
            for c in q.snapshot["key"]["rubric"]
        }
        for q in attempt.served_questions()
        if q.qtype == "practical"
    }
    marking.submit_marking(
        marking_id=item.pk,
        examiner=examiner,
        levels=levels,
        feedback=feedback,
        now=when,
    )


def seed_practical() -> int:
    """Create the Expert grading story; returns how many attempts were created."""
    exam = ExamPage.objects.live().filter(slug="expert").first()
    customer = User.objects.filter(email="customer@example.com").first()
    mentor = User.objects.filter(email="mentor@example.com").first()
    examiner = User.objects.filter(email="examiner@example.com").first()
    if exam is None or customer is None or mentor is None or examiner is None:
        return 0
    if Attempt.objects.filter(exam=exam).exists():
        return 0
    rng = random.Random(180)  # noqa: S311 - demo data
    now = timezone.now()
    text = {"gateway": GATEWAY_ANSWER, "incident": INCIDENT_ANSWER}
    organization = Organization.objects.filter(name="Contoso Health").first()
    candidates = [
        ensure_user(
            email=f"{first.lower()}.{last.lower()}@example.com",
            first_name=first,
            last_name=last,
            role_names=[roles.LEARNERS],
            organization=organization,
        )[0]
        for first, last in (("Tomas", "Berg"), ("Yara", "Haddad"), ("Zoe", "Fischer"))
    ]
    created = 0

    # Waiting in the queue for admin@example.com.
    _sit(
        customer,
        exam,
        rng=rng,
        skill=0.9,
        when=now - timedelta(days=2),
        practical_text=text,
    )
    created += 1

    # Graded by one examiner: passed, with feedback.
    passed = _sit(
        candidates[0],
        exam,
        rng=rng,
        skill=0.95,
        when=now - timedelta(days=12),
        practical_text=text,
    )
    _grade(
        passed,
        MarkingRole.FIRST,
        examiner,
        0,
        when=now - timedelta(days=10),
        feedback=(
            "A model answer on the gateway: you ruled out the certificate and entropy "
            "from the evidence before touching anything. On the incident, name who "
            "owns customer updates, not just how often they go out."
        ),
    )
    created += 1

    # Two examiners far apart: a lead examiner decides.
    disputed = _sit(
        candidates[1],
        exam,
        rng=rng,
        skill=0.85,
        when=now - timedelta(days=6),
        practical_text=text,
        sampled=True,
    )
    _grade(
        disputed,
        MarkingRole.FIRST,
        examiner,
        0,
        when=now - timedelta(days=5),
        feedback="Thorough diagnosis and a complete incident record.",
    )
    _grade(
        disputed,
        MarkingRole.SECOND,
        mentor,
        2,
        when=now - timedelta(days=4),
        feedback="The post-mortem outline is thin and containment order is unclear.",
    )
    created += 1

    # Did not pass; appealed; a lead examiner re-grades.
    failed = _sit(
        candidates[2],
        exam,
        rng=rng,
        skill=0.6,
        when=now - timedelta(days=9),
        practical_text=text,
    )
    _grade(
        failed,
        MarkingRole.FIRST,
        examiner,
        2,
        when=now - timedelta(days=7),
        feedback=(
            "The classification is right but the diagnosis jumps to the fix; "
            "explain what each check tells you."
        ),
    )
    failed.refresh_from_db()
    if failed.status == "graded" and not failed.passed:
        marking.lodge_appeal(
            attempt=failed,
            user=candidates[2],
            reason=(
                "My answer to the gateway task lists each check and what its result "
                "rules out; I think the diagnosis criterion was marked too low."
            ),
            now=now - timedelta(days=6),
        )
    created += 1
    return created
