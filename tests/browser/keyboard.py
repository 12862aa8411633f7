"""Working a page with the keyboard alone: Tab / Shift+Tab to move, typing, Enter, Space and the arrow keys.

Nothing here clicks or focuses an element directly: ``tab_to`` presses Tab (or Shift+Tab) until the focused
element is the one wanted, and fails naming it when it cannot be reached that way or when it shows no focus
indicator (an outline or a shadow) once reached.
"""

from __future__ import annotations

from typing import Any

MAX_PRESSES = 250

# Describes document.activeElement for the matcher and for the failure message.
FOCUSED = """([selector, text]) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {matches: false, what: 'the page itself'};
  const label = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
  const matches = el.matches(selector) && (!text || label.includes(text));
  const style = getComputedStyle(el);
  const ringed = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  return {matches, ringed, what: `${el.tagName.toLowerCase()}#${el.id || ''} "${label.slice(0, 60)}"`};
}"""


class NotReachableByKeyboard(AssertionError):
    """The element could not be focused with Tab / Shift+Tab."""


def tab_to(page: Any, selector: str, text: str = "", backwards: bool = False, max_presses: int = MAX_PRESSES) -> None:
    """Press Tab (Shift+Tab when ``backwards``) until the focused element matches ``selector`` (and shows ``text``)."""
    key = "Shift+Tab" if backwards else "Tab"
    state = page.evaluate(FOCUSED, [selector, text])
    presses = 0
    seen: list[str] = []
    while not state["matches"]:
        if presses >= max_presses:
            raise NotReachableByKeyboard(
                f"{selector} {text!r} not reached with {max_presses} x {key} on {page.url}; "
                f"focus went through: {', '.join(seen[:40])}"
            )
        page.keyboard.press(key)
        presses += 1
        state = page.evaluate(FOCUSED, [selector, text])
        seen.append(state["what"])
    assert state.get("ringed", True), f"{state['what']} has the keyboard focus but no visible focus indicator"


def type_into(page: Any, selector: str, text: str, backwards: bool = False) -> None:
    """Tab to a text field and type, replacing what it held (select all with Control+A first)."""
    tab_to(page, selector, backwards=backwards)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def activate(page: Any, selector: str, text: str = "", backwards: bool = False, navigates: bool = True) -> None:
    """Tab to a link or button and press Enter; by default wait for the page it leads to."""
    tab_to(page, selector, text, backwards=backwards)
    if not navigates:
        page.keyboard.press("Enter")
        return
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page: Any, selector: str, option_text: str, backwards: bool = False) -> None:
    """Tab to a closed <select> and press the arrow keys until the chosen option's text starts with ``option_text``."""
    tab_to(page, selector, backwards=backwards)
    count = page.evaluate("() => document.activeElement.options.length")
    page.keyboard.press("Home")
    for _ in range(count):
        chosen = page.evaluate("() => document.activeElement.selectedOptions[0]?.text.trim() || ''")
        if chosen.startswith(option_text):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option of {selector} starts with {option_text!r}")


def type_date_time(page: Any, selector: str, month_day_year: str, hour_minute_ampm: str = "") -> None:
    """Tab to a date (or datetime-local) field and type its segments as a person would, in US order: the
    year segment takes more than four digits, so the right arrow moves on to the hour."""
    tab_to(page, selector)
    page.keyboard.type(month_day_year.replace("/", ""))
    if hour_minute_ampm:
        page.keyboard.press("ArrowRight")
        page.keyboard.type(hour_minute_ampm.replace(":", "").replace(" ", ""))
