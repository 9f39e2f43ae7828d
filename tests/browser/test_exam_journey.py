"""Journey 3: a customer takes the Associate exam with the keyboard alone, loses
the network and gets it back, reloads mid-exam, submits, downloads the certificate
and a stranger verifies it. Also: the timer's announcements, and the exam with
JavaScript off."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from certificates.models import Certificate
from exams.models import Attempt, AttemptStatus
from tests.factories import (
    PASSWORD,
    choice_id,
    make_bank,
    make_exam,
    make_level,
    site_tree,
)

from .conftest import audit, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def associate(transactional_db):
    """The Associate exam: four questions on two pages; passing it certifies."""
    site_tree()
    bank = make_bank(
        questions=4, types=("single", "multiple", "short_answer", "matching")
    )
    exam = make_exam(
        bank=bank,
        count=4,
        questions_per_page=2,
        time_limit_minutes=60,
        title="Associate exam",
        slug="associate",
    )
    make_level(exams=[exam], title="Certified Associate", code="associate")
    return exam


class Served:
    """Element ids of a learner's open attempt: options carry random ids, so the
    test looks up which id each authored option (a, b; the first pair) was given."""

    def __init__(self, learner):
        attempt = Attempt.objects.get(user=learner, status=AttemptStatus.IN_PROGRESS)
        self.snapshots = {q.position: q.snapshot for q in attempt.served_questions()}

    def choice(self, position: int, letter: str) -> str:
        return f"#q{position}-{choice_id(self.snapshots[position], letter)}"

    def pair(self, position: int, prompt_text: str) -> tuple[str, str]:
        """(the select of the prompt reading ``prompt_text``, its right option)."""
        snapshot = self.snapshots[position]
        prompt = next(
            p["id"] for p in snapshot["public"]["prompts"] if p["text"] == prompt_text
        )
        return f"#q{position}-{prompt}", snapshot["key"]["pairs"][prompt]


def is_focus_visible(page) -> bool:
    """The focused element draws an outline or a ring, and no sticky bar hides it."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== 'none';
          const box = el.getBoundingClientRect();
          const hit = document.elementFromPoint(
            box.left + box.width / 2, box.top + box.height / 2);
          const bar = hit && hit.closest('.exam-bar');
          const hidden = Boolean(bar) && !bar.contains(el);
          return ring && !hidden;
        }"""
    )


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus, checking every stop is visible."""
    key = "Shift+Tab" if backwards else "Tab"
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("el => el === document.activeElement"):
            assert is_focus_visible(page), f"focus on {selector} is not visible"
            return
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
        if focused.startswith("<body"):
            continue
        assert is_focus_visible(page), f"focus not visible on {focused}"
    raise AssertionError(f"{selector} cannot be reached with the keyboard")


def saved(page, text: str = "Saved", timeout: int = 10_000) -> None:
    page.locator("#save-status", has_text=re.compile(f"^{text}$")).wait_for(
        timeout=timeout
    )


def test_associate_exam_with_the_keyboard_alone_through_to_verification(
    live_server, browse, associate, user_factory, shoot
):
    learner = user_factory(
        email="associate.taker@example.org", first_name="Ada", last_name="Keyes"
    )
    context, page = browse(accept_downloads=True)
    browse.guard.allow(r"ERR_INTERNET_DISCONNECTED")
    sign_in(page, live_server.url, learner.email, PASSWORD)

    page.goto(associate.url)
    audit(page)
    shoot(page, "1-exam-overview")
    tab_to(page, "button:has-text('Start the exam')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#exam-form")
    audit(page)
    served = Served(learner)

    # Page 1: a single choice (Space picks the focused radio) and a multiple choice.
    tab_to(page, served.choice(1, "a"))
    page.keyboard.press("Space")
    tab_to(page, served.choice(2, "a"))
    page.keyboard.press("Space")
    tab_to(page, served.choice(2, "b"))
    page.keyboard.press("Space")
    saved(page)
    shoot(page, "2-page-one-saved")
    tab_to(page, "button:has-text('Next page')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=2"))

    # Page 2: the network drops while the learner types; nothing is lost.
    tab_to(page, "#q3-text")
    context.set_offline(True)
    page.keyboard.type("QT-001")
    saved(page, "Not saved — retrying")
    audit_offline = page.locator("#save-status").get_attribute("role")
    assert audit_offline == "status"  # announced politely, and written in words
    shoot(page, "3-offline-retrying")
    context.set_offline(False)
    saved(page)
    shoot(page, "4-back-online-saved")

    # A type-ahead picks each match from its list.
    first, first_match = served.pair(4, "QT-001")
    second, second_match = served.pair(4, "NET-002")
    tab_to(page, first)
    page.keyboard.type("Gateway")
    tab_to(page, second)
    page.keyboard.type("Rate")
    saved(page)

    page.reload()
    page.wait_for_selector("#exam-form")
    assert page.input_value("#q3-text") == "QT-001"
    assert page.input_value(first) == first_match
    assert page.input_value(second) == second_match

    tab_to(page, "button:has-text('Review and submit')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/submit/$"))
    assert "4" in page.locator(".summary li").first.inner_text()
    audit(page)
    shoot(page, "5-review")
    tab_to(page, "button:has-text('Submit my answers')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/result/$"))
    expect(page.get_by_text("Passed")).to_be_visible()
    attempt = Attempt.objects.get(user=learner)
    assert attempt.status == AttemptStatus.GRADED and attempt.passed
    audit(page)
    shoot(page, "6-result")

    tab_to(page, "a:has-text('Back to your dashboard')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    audit(page)
    shoot(page, "7-dashboard")
    tab_to(page, "a:has-text('PDF')")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Ada Keyes" in text
    certificate = Certificate.objects.get(holder=learner)
    match = re.search(r"https?://\S+?/verify/[\w-]+/?", text.replace("\n", ""))
    assert match, text
    verification_path = "/verify/" + match.group(0).split("/verify/")[1]
    assert certificate.verification_code in verification_path

    # A stranger, signed out, checks the printed address.
    _stranger_context, stranger = browse()
    stranger.goto(verification_path)
    expect(stranger.get_by_text("Valid.")).to_be_visible()
    expect(stranger.get_by_text("Ada Keyes")).to_be_visible()
    expect(stranger.get_by_text("Sign in").first).to_be_visible()
    audit(stranger)
    shoot(stranger, "8-verification")


def test_the_timer_is_announced_a_few_times_not_every_second(
    live_server, browse, associate, user_factory
):
    from datetime import timedelta

    from django.utils import timezone

    from exams import services

    learner = user_factory()
    attempt = services.start_attempt(user=learner, exam=associate)
    soon = timezone.now() + timedelta(minutes=5, seconds=20)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=soon, cutoff=soon + timedelta(seconds=30)
    )
    context, page = browse()
    sign_in(page, live_server.url, learner.email, PASSWORD)
    # The server's clock is real, the page's is not: keep the page from asking it.
    context.route("**/status/", lambda route: route.abort())
    browse.guard.allow(r"ERR_FAILED")
    page.clock.install()
    page.goto(f"/exams/attempts/{attempt.public_id}/")
    region = page.locator("#timer-announce")
    assert region.get_attribute("aria-live") == "polite"
    assert page.locator("#timer").get_attribute("aria-live") in (None, "off")
    page.evaluate(
        """() => {
          window.announcements = [];
          new MutationObserver(() => announcements.push(
            document.getElementById('timer-announce').textContent
          )).observe(document.getElementById('timer-announce'),
                     {childList: true, characterData: true, subtree: true});
        }"""
    )
    page.clock.run_for("01:00")  # 4:20 left: the five-minute mark has passed
    page.clock.run_for("03:30")  # 0:50 left
    announcements = page.evaluate("() => announcements")
    assert announcements == ["5 minutes left.", "One minute left."]


def test_the_exam_works_as_plain_forms_with_javascript_off(
    live_server, browse, associate, user_factory, shoot
):
    learner = user_factory()
    _context, page = browse(java_script_enabled=False)
    sign_in(page, live_server.url, learner.email, PASSWORD)
    page.goto(associate.url)
    page.click("text=Start the exam")
    page.wait_for_selector("#exam-form")
    expect(page.get_by_text("Your answers are saved when you move")).to_be_visible()
    served = Served(learner)
    page.check(served.choice(1, "a"))
    page.check(served.choice(2, "a"))
    page.check(served.choice(2, "b"))
    page.click("text=Next page")
    page.fill("#q3-text", "QT-001")
    for prompt_text in ("QT-001", "NET-002"):
        select, right = served.pair(4, prompt_text)
        page.select_option(select, right)
    page.click("button:has-text('Save answers')")
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    shoot(page, "no-javascript")
    page.click("text=Review and submit")
    page.click("text=Submit my answers")
    expect(page.get_by_text("Passed")).to_be_visible()
    assert Attempt.objects.get(user=learner).percent == 100
