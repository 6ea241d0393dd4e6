"""Page checks run in the browser: axe-core (WCAG 2.0/2.1 A and AA), reflow at
320 px, one h1, landmarks and a visible keyboard focus; the written standard
(``<html lang>``, the switch, no bokmål word in a nynorsk interface); optional
screenshots."""

import os
import re
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from .server import AXE_BYTES, AXE_PATH

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = AXE_BYTES.decode("utf-8")  # the file the live server serves, read once
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOT_DIR = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
NARROW = {"width": 320, "height": 800}

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  }));
}"""

_FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow && s.boxShadow !== 'none'};
}"""


def inject_axe(page) -> None:
    """axe-core into the page: from the live server (server.AXE_PATH, a same-origin script
    the pages' CSP allows, cached by the browser context), or else through evaluate(),
    which runs through the DevTools protocol, so the CSP does not block it (but sends
    the 650 kB for every page)."""
    origin = page.evaluate("() => typeof window.axe === 'undefined' ? location.origin : null")
    if origin is None:
        return  # already in the page
    if origin.startswith("http"):
        try:
            page.add_script_tag(url=origin + AXE_PATH)
            return
        except PlaywrightError:
            pass  # not one of the live servers
    page.evaluate(AXE_SOURCE)


def axe_violations(page) -> list[dict]:
    inject_axe(page)
    return page.evaluate(_RUN_AXE, AXE_TAGS)


def axe_rule_ids(page) -> list[str]:
    """The ids of the axe rules that carry the tags we run (for the report)."""
    inject_axe(page)
    return page.evaluate("(tags) => axe.getRules(tags).map(r => r.ruleId).sort()", AXE_TAGS)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    at {node['target']}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"      {detail}")
    return "\n".join(lines)


# Words only bokmål uses; nynorsk has ikkje, kva, viss, korleis, … Course content is
# not the interface (a course has its own nynorsk variant or is marked lang="nb"):
# the Markdown (.prose), anything marked lang="nb" and quiz texts (data-content: a
# nynorsk question may quote a bokmål phrase) are left out.
BOKMAL_ONLY = re.compile(
    r"\b(ikke|hva|hvis|hvordan|hvorfor|hvem|jeg|noen|noe|fra|bare|allerede|ennå|tidligere|"
    r"siden|enhet|bruker|brukere|deltaker|deltakere|kursholder|påmeldt|meldt|lagret|merket|"
    r"hovedmeny|hovedinnholdet|tjenestedesign|gjenstår|fortsett|logget)\b", re.IGNORECASE)
INTERFACE = ("body > header, body > footer, .main-nav, button, label, legend, th, dt, .flash, "
             ".skip-link, h1, h2")
_INTERFACE_TEXTS = """(selector) => {
  const content = '[lang="nb"], .prose, [data-content]';
  return [...document.querySelectorAll(selector)]
    .filter(e => !e.closest(content) || e.closest('.language-switch'))
    .map(e => {
      if (e.closest('.language-switch') || !e.querySelector(content)) {
        return (e.innerText || '').trim();
      }
      const copy = e.cloneNode(true);  // the interface around content inside it
      copy.querySelectorAll(content).forEach(c => c.remove());
      return (copy.textContent || '').replace(/\\s+/g, ' ').trim();
    });
}"""


_INTERFACE_FACTS = """() => ({
  lang: document.documentElement.lang,
  switches: ['nb', 'nn'].map(
    code => document.querySelectorAll(`.language-switch button[lang="${code}"]`).length),
})"""


def interface_problems(page, language: str) -> list[str]:
    """``<html lang>`` is ``language``, the switch offers both standards (each button in
    its own language) and, in nynorsk, no bokmål-only word shows in the interface."""
    problems = []
    facts = page.evaluate(_INTERFACE_FACTS)
    lang = facts["lang"]
    if lang != language:
        problems.append(f'<html lang="{lang}">, expected "{language}"')
    for code, count in zip(("nb", "nn"), facts["switches"], strict=True):
        if count != 1:
            problems.append(f"no switch button with lang={code}")
    if language == "nn":
        for text in page.evaluate(_INTERFACE_TEXTS, INTERFACE):
            for word in BOKMAL_ONLY.findall(text.replace("Bokmål", "")):
                problems.append(f"bokmål word «{word}» in «{text[:80]}»")
    return problems


def expected_language(page) -> str | None:
    """The standard the test's browser context stands for (conftest sets it)."""
    return getattr(page.context, "expected_language", None)


# one round trip to the browser instead of one per count
_STRUCTURE = """() => Object.fromEntries([
  ['h1', 'h1'], ['main', 'main'], ['header', 'body > header, [role=banner]'], ['nav', 'nav'],
].map(([name, selector]) => [name, document.querySelectorAll(selector).length]))"""


def structure_problems(page) -> list[str]:
    problems = []
    counts = page.evaluate(_STRUCTURE)
    if counts["h1"] != 1:
        problems.append(f"expected exactly one h1, found {counts['h1']}")
    for name in ("main", "header", "nav"):
        if counts[name] < 1:
            problems.append(f"missing {name} landmark")
    if counts["main"] > 1:
        problems.append("more than one main landmark")
    return problems


def reflow_problem(page) -> str | None:
    original = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        width = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(original)
    if width > NARROW["width"]:
        # the culprits: elements whose content spills out of them (not scroll regions)
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
                         && getComputedStyle(e).overflowX === 'visible')
            .slice(-5).map(e => e.tagName + '.' + e.className)""")
        return f"horizontal scroll at 320 px: scrollWidth={width}; wide elements: {wide}"
    return None


# WCAG 2.1 SC 1.4.12: the spacing a user may set without losing content or function.
# Set through the CSSOM (the pages' CSP refuses an injected <style>); undone after.
_TEXT_SPACING = """(on) => document.querySelectorAll('body *').forEach(e => {
  for (const [name, value] of [['line-height', '1.5'], ['letter-spacing', '0.12em'],
                               ['word-spacing', '0.16em']].concat(
                                 e.tagName === 'P' ? [['margin-bottom', '2em']] : [])) {
    if (on) { e.style.setProperty(name, value, 'important'); }
    else { e.style.removeProperty(name); }
  }
})"""

_CLIPPED = """() => [...document.querySelectorAll('body *')].filter(e => {
  const s = getComputedStyle(e);
  if (e.closest('.table-wrap') || e.closest('.visually-hidden')) return false;
  if (s.display === 'none') return false;
  const hides = ['hidden', 'clip'];
  return (hides.includes(s.overflowY) && e.scrollHeight > e.clientHeight + 1) ||
         (hides.includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1);
}).slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def text_spacing_problem(page) -> str | None:
    """With the text spacing of SC 1.4.12, nothing is clipped and nothing scrolls sideways
    at phone width (tables scroll in their own region)."""
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    page.evaluate(_TEXT_SPACING, True)
    try:
        spacing = page.evaluate("() => getComputedStyle(document.querySelector('main h1'))"
                                ".letterSpacing")
        assert spacing not in ("normal", "0px"), "the text spacing was not applied"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        clipped = page.evaluate(_CLIPPED)
    finally:
        page.evaluate(_TEXT_SPACING, False)
        page.set_viewport_size(original)
    if width > PHONE["width"]:
        return f"text spacing: horizontal scroll at {PHONE['width']} px (scrollWidth={width})"
    if clipped:
        return f"text spacing: clipped text in {clipped}"
    return None


def focus_problem(page) -> str | None:
    """Tab to the first two links and check each shows an outline or box-shadow."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    checked = 0
    for _ in range(6):
        page.keyboard.press("Tab")
        style = page.evaluate(_FOCUS_STYLE)
        if style is None or style["tag"] != "A":
            continue
        if not (style["outline"] or style["shadow"]):
            return f"focused link «{style['text']}» has neither outline nor box-shadow"
        checked += 1
        if checked == 2:
            return None
    return "could not reach a link with Tab" if checked == 0 else None


def check_page(page, name: str = "") -> None:
    """Assert the page has no WCAG A/AA violations and passes the structural checks and,
    when the browser context names a standard, the language checks."""
    label = name or page.url
    problems = structure_problems(page)
    language = expected_language(page)
    if language:
        problems += interface_problems(page, language)
    reflow = reflow_problem(page)
    if reflow:
        problems.append(reflow)
    focus = focus_problem(page)
    if focus:
        problems.append(focus)
    violations = axe_violations(page)
    if violations:
        problems.append("axe violations:\n" + format_violations(violations))
    assert not problems, f"{label} ({page.url}):\n" + "\n".join(problems)
    if name and language == "nn" and not name.startswith("nn-"):
        name = f"nn-{name}"  # the nynorsk run keeps the bokmål screenshots
    screenshot(page, name)


def screenshot(page, name: str) -> None:
    """With SCREENSHOTS=1, save the page at desktop and phone width to docs/screenshots/."""
    if not name or os.environ.get("SCREENSHOTS") != "1":
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    try:
        for suffix, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                          "window.scrollTo(0, 0); }")
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{suffix}.png"), full_page=True)
    finally:
        page.set_viewport_size(original)
