"""How much of a page a reader sees is in Korean (the browser tests of both languages)."""

import re

HANGUL = re.compile("[\uac00-\ud7a3]")
# The visible text elements of the main area: paragraphs, headings, list items, buttons, widget
# labels, metric labels, tabs and expanders' summaries (at least two letters: an icon is not text).
TEXTS = """() => [...document.querySelectorAll([
    'h1', 'h2', 'h3', 'p', 'li', 'button', '[data-testid="stWidgetLabel"]', '[data-testid="stMetricLabel"]',
    '[role="tab"]', 'summary'].map(s => '[data-testid="stMain"] ' + s).join(','))]
    .filter(e => e.offsetParent !== null && !e.querySelector('p, li, h1, h2, h3'))
    .map(e => e.innerText.trim()).filter(t => (t.match(/\\p{L}/gu) || []).length >= 2)"""


def hangul_share(page) -> tuple[float, list[str]]:
    texts = page.evaluate(TEXTS)
    latin = [t for t in texts if not HANGUL.search(t)]
    return 1 - len(latin) / max(1, len(texts)), latin
