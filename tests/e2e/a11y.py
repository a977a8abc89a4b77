"""Accessibility checks run on every page a browser journey visits (tests/e2e).

Every document is checked once, before the first action the journey takes in it (a click, a
fill, a key press, a `goto`, a screenshot...) and, for the last one, when its page or context
closes. So a page reached by a link or a submitted form is checked too, and no journey has to
remember to call anything. `install()` wraps the action methods of Playwright's sync `Page`,
`Locator`, `Keyboard` and `Mouse` for the test session; a locator action first resolves its
element, so the document checked is the one the action is about to happen in.

On each document:
  * axe-core (npm, tests/e2e/package.json) with the WCAG 2.0/2.1 A and AA rules: no violation;
  * focus visible at 3:1: every element in the Tab order is focused as the keyboard would
    focus it (`:focus-visible`), and must then show an outline, box-shadow or border change
    whose colour has a contrast of at least 3:1 with the background next to it;
  * nothing wider than a 390 px phone: at a 390 px wide viewport the document does not scroll
    sideways (a wide table may scroll inside its own `overflow-x: auto` box).
Focus, scroll position and viewport are put back as they were.
"""

from pathlib import Path
from urllib.parse import urldefrag

from playwright.sync_api import BrowserContext, Keyboard, Locator, Mouse, Page
from playwright.sync_api import Error as PlaywrightError

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH = 390
MIN_FOCUS_CONTRAST = 3.0

MARK = "__motcuaA11yChecked"

_ACTIONS = {
    Page: [
        "goto", "reload", "go_back", "go_forward", "click", "dblclick", "fill", "press",
        "type", "check", "uncheck", "set_checked", "select_option", "set_input_files", "tap",
        "hover", "focus", "dispatch_event", "drag_and_drop", "set_viewport_size",
        "screenshot", "pdf", "set_content",
    ],
    Locator: [
        "click", "dblclick", "fill", "clear", "press", "press_sequentially", "type", "check",
        "uncheck", "set_checked", "select_option", "select_text", "set_input_files", "tap",
        "hover", "focus", "blur", "dispatch_event", "drag_to", "screenshot",
        "scroll_into_view_if_needed",
    ],
    Keyboard: ["down", "up", "press", "type", "insert_text"],
    Mouse: ["click", "dblclick", "down", "up", "move", "wheel"],
}  # fmt: skip


class AccessibilityError(AssertionError):
    pass


# --- the page side -------------------------------------------------------------------------

_COLOUR_JS = """
const canvas = document.createElement('canvas').getContext('2d');
function rgba(text) {
  let m = /^rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)$/.exec(text);
  if (!m) {  // any other syntax: let the canvas turn it into sRGB bytes
    canvas.clearRect(0, 0, 1, 1); canvas.fillStyle = '#000'; canvas.fillStyle = text;
    canvas.fillRect(0, 0, 1, 1);
    const d = canvas.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  }
  return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
}
function over(top, bottom) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
}
function backgroundOf(el) {  // the opaque colour painted behind el's own box
  const layers = [];
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let colour = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
  return colour;
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
function show(c) { return 'rgb(' + c.slice(0, 3).map(Math.round).join(',') + ')'; }
function describe(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
    let part = e.localName;
    if (e.id) { parts.unshift(part + '#' + e.id); break; }
    if (e.classList.length) part += '.' + [...e.classList].join('.');
    parts.unshift(part);
  }
  const text = (el.localName === 'select' ? '' : el.innerText || el.value
    || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim();
  return parts.join(' > ') + (text ? ' "' + text.slice(0, 40) + '"' : '');
}
"""

_FOCUS_JS = (
    "(minimum) => {"
    + _COLOUR_JS
    + """
  const active = document.activeElement, x = scrollX, y = scrollY;
  const toStart = () => {  // focus back at the start: the next Tab reaches the skip link
    const start = document.createElement('span');
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus({preventScroll: true});
    start.remove();
  };
  if (active && active !== document.body) active.blur();
  // The sequential focus order: positive tabindex first, then the document's order.
  const candidates = [...document.querySelectorAll('*')].filter(el =>
    el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]')
    && el.checkVisibility({visibilityProperty: true}));
  const order = candidates.filter(el => el.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex)
    .concat(candidates.filter(el => el.tabIndex === 0));
  const style = s => ({
    outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '),
    shadow: s.boxShadow,
    border: [s.borderTopColor, s.borderRightColor, s.borderBottomColor, s.borderLeftColor,
             s.borderTopWidth, s.borderBottomWidth].join(' '),
  });
  const base = new Map(order.map(el => [el, style(getComputedStyle(el))]));
  const failures = [];
  for (const el of order) {
    el.focus({focusVisible: true, preventScroll: true});  // as if reached with Tab
    if (document.activeElement !== el) continue;  // not focusable after all
    const s = getComputedStyle(el), now = style(s), before = base.get(el);
    const outside = backgroundOf(el.parentElement || el), inside = backgroundOf(el);
    const found = [];
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
        && now.outline !== before.outline) {
      const inset = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth) <= 0;
      const behind = inset ? inside : outside;
      const colour = over(rgba(s.outlineColor), behind);
      found.push({what: 'outline', colour, behind, ratio: contrast(colour, behind)});
    }
    if (s.boxShadow !== 'none' && now.shadow !== before.shadow) {
      for (const shadow of s.boxShadow.split(/,(?![^(]*\\))/)) {
        const m = /(rgba?\\([^)]*\\)|#[0-9a-f]+|[a-z]+)/i.exec(shadow);
        if (!m) continue;
        const behind = /inset/.test(shadow) ? inside : outside;
        const colour = over(rgba(m[1]), behind);
        found.push({what: 'box-shadow', colour, behind, ratio: contrast(colour, behind)});
      }
    }
    if (now.border !== before.border && parseFloat(s.borderTopWidth) >= 1) {
      const colour = over(rgba(s.borderTopColor), outside);
      const ratio = Math.max(contrast(colour, outside), contrast(colour, inside));
      found.push({what: 'border', colour, behind: outside, ratio});
    }
    const best = found.sort((a, b) => b.ratio - a.ratio)[0];
    if (!best || best.ratio < minimum) {
      failures.push(describe(el) + ' — ' + (best
        ? best.what + ' ' + show(best.colour) + ' on ' + show(best.behind) + ': '
          + best.ratio.toFixed(2) + ':1'
        : 'no outline, box-shadow or border change'));
    }
  }
  document.activeElement.blur();
  if (active && active !== document.body && active.isConnected) {
    active.focus({preventScroll: true});
  } else {
    toStart();
  }
  scrollTo(x, y);
  return failures;
}"""
)

_OVERFLOW_JS = (
    "() => {"
    + _COLOUR_JS
    + """
  const root = document.documentElement, limit = root.clientWidth;
  if (root.scrollWidth <= limit) return null;
  const wide = [];
  const walk = (el) => {
    for (const child of el.children) {
      const box = child.getBoundingClientRect();
      const s = getComputedStyle(child);
      if (box.right > limit + 0.5 && s.position !== 'fixed') {
        // the outermost element that sticks out, not everything inside it
        wide.push(describe(child).replace(/ ".*/, '') + ' ends at ' + Math.round(box.right) + 'px');
      } else if (!/(auto|scroll|hidden|clip)/.test(s.overflowX)) {
        walk(child);
      }
    }
  };
  walk(document.body);
  return {width: root.scrollWidth, wide: wide.slice(0, 8)};
}"""
)

_AXE_RUN_JS = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.join(' '),
      // what is wrong, without axe's "Fix any of the following:" headings
      summary: n.failureSummary.split('\\n').filter(l => /^ /.test(l)).map(l => l.trim())
        .join('; '),
    })),
  }));
}"""


# --- the Python side -----------------------------------------------------------------------


class PageChecker:
    """The checks of one Playwright page: which documents were visited and which were checked."""

    def __init__(self, page: Page):
        self.page = page
        self.enabled = True
        self.busy = False
        self.visited: list[str] = []
        self.checked: set[str] = set()
        page.on("framenavigated", self._navigated)
        if not getattr(page.context, "_motcua_axe", False):
            page.context.add_init_script(path=AXE_JS)
            page.context._motcua_axe = True
        # Keyboard and mouse do not know their page; remember it for the wrappers.
        page.keyboard._motcua_page = page
        page.mouse._motcua_page = page

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(urldefrag(frame.url).url)

    def before_action(self, locator: Locator | None = None) -> None:
        """Check the document the next action happens in, if it has not been checked yet."""
        if self.busy or not self.enabled or self.page.is_closed():
            return
        self.busy = True
        try:
            if not self._document_is_checked(locator):
                self._check()
        finally:
            self.busy = False

    def before_close(self) -> None:
        """Check the last document, then name any visited page that was never checked."""
        if self.busy or not self.enabled or self.page.is_closed():
            return
        self.before_action()
        missed = [url for url in dict.fromkeys(self.visited) if url not in self.checked]
        missed = [url for url in missed if not url.startswith("about:")]
        if missed:
            raise AccessibilityError(
                "Trang đã mở mà chưa được kiểm tra khả năng tiếp cận (hành trình rời trang "
                "trước khi có thao tác nào trên đó): " + ", ".join(missed)
            )

    def _document_is_checked(self, locator: Locator | None) -> bool:
        probe = f"() => window.{MARK} === true"
        if locator is not None:
            try:  # the document that holds the element the action is about
                return locator.evaluate(f"el => window.{MARK} === true", timeout=10_000)
            except PlaywrightError:
                pass  # no such element (yet): the action itself will say so
        for _ in range(3):
            try:
                return self.page.evaluate(probe)
            except PlaywrightError:  # navigating right now: wait for the new document
                self.page.wait_for_load_state("load")
        return self.page.evaluate(probe)

    def _check(self) -> None:
        page = self.page
        page.wait_for_load_state("load")
        url = urldefrag(page.url).url
        page.evaluate(f"() => {{ window.{MARK} = true; }}")
        if url.startswith("about:") or page.evaluate("document.contentType") != "text/html":
            return
        self.checked.add(url)
        problems = self.problems()
        if problems:
            raise AccessibilityError(f"Khả năng tiếp cận: lỗi trên {url}\n" + "\n".join(problems))

    def problems(self) -> list[str]:
        """What is wrong with the current document, one line each (empty: nothing)."""
        return self._axe() + self._focus() + self._phone_width()

    def _axe(self) -> list[str]:
        page = self.page
        if not page.evaluate("typeof window.axe === 'object'"):  # a document opened before
            page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")
        violations = page.evaluate(_AXE_RUN_JS, AXE_TAGS)
        problems = []
        for v in violations:
            problems.append(f"  axe {v['id']} ({v['impact']}): {v['help']}")
            for node in v["nodes"][:10]:
                problems.append(f"      {node['target']}  — {node['summary']}")
            if len(v["nodes"]) > 10:
                problems.append(f"      … và {len(v['nodes']) - 10} phần tử khác")
        return problems

    def _focus(self) -> list[str]:
        failures = self.page.evaluate(_FOCUS_JS, MIN_FOCUS_CONTRAST)
        return [f"  focus không thấy rõ (cần {MIN_FOCUS_CONTRAST}:1): {f}" for f in failures]

    def _phone_width(self) -> list[str]:
        page = self.page
        size = page.viewport_size
        if size and size["width"] != PHONE_WIDTH:
            page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
        try:
            result = page.evaluate(_OVERFLOW_JS)
        finally:
            if size and size["width"] != PHONE_WIDTH:
                page.set_viewport_size(size)
        if not result:
            return []
        return [
            f"  rộng {result['width']}px trên màn hình {PHONE_WIDTH}px (trang cuộn ngang): "
            + "; ".join(result["wide"])
        ]


def checker_for(page: Page) -> PageChecker:
    checker = getattr(page, "_motcua_a11y", None)
    if checker is None:
        checker = page._motcua_a11y = PageChecker(page)
    return checker


def _page_of(target) -> Page | None:
    if isinstance(target, Page):
        return target
    if isinstance(target, Locator):
        return target.page
    return getattr(target, "_motcua_page", None)  # Keyboard, Mouse


def _wrap(cls, name):
    original = getattr(cls, name)

    def action(self, *args, **kwargs):
        page = _page_of(self)
        if page is not None:
            checker_for(page).before_action(self if isinstance(self, Locator) else None)
        return original(self, *args, **kwargs)

    action.__wrapped__ = original
    action.__name__ = name
    return action


def install(monkeypatch) -> None:
    """Check every page of every context, for as long as `monkeypatch` lasts."""
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} không có: chạy `npm ci` trong tests/e2e (`make e2e` làm)")
    for cls, names in _ACTIONS.items():
        for name in names:
            monkeypatch.setattr(cls, name, _wrap(cls, name))

    new_page = BrowserContext.new_page
    page_close = Page.close
    context_close = BrowserContext.close

    def context_new_page(self, *args, **kwargs):
        page = new_page(self, *args, **kwargs)
        checker_for(page)
        return page

    def close_page(self, *args, **kwargs):
        checker_for(self).before_close()
        return page_close(self, *args, **kwargs)

    def close_context(self, *args, **kwargs):
        try:
            for page in self.pages:
                checker_for(page).before_close()
        finally:
            context_close(self, *args, **kwargs)

    monkeypatch.setattr(BrowserContext, "new_page", context_new_page)
    monkeypatch.setattr(Page, "close", close_page)
    monkeypatch.setattr(BrowserContext, "close", close_context)


def disable(context) -> None:
    """No more checks in this context (its test has already failed)."""
    for page in context.pages:
        checker_for(page).enabled = False
