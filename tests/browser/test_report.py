"""End-to-end test of `gaztag report` in a real browser (headless Chromium
from the distribution, driven by Selenium).

    GAZTAG=target/release/gaztag python tests/browser/test_report.py [--screenshot docs/report-overview.png]

Builds a report of the bundled articles plus hostile documents, opens it
from disk and checks, in the browser: no console errors; the overview
numbers equal those computed from the CSV tables; the map and the charts
are drawn; searching and opening a document works; every highlighted
mention's text equals the mention's `text` column; the hostile names and
texts are shown as text and run nothing.
"""

import csv
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>.txt"
HOSTILE_TEXT = (
    "Talks in Kenya </script><script>window.__pwned=1</script> and </textarea>"
    " \"quotes\" 'single' javascript:window.__pwned=1 <b>bold</b>.\r\n"
    "Côte d’Ivoire and 🇵🇰 Pakistan met; the U.S. agreed.\r\n"
)
GAZ = """[[entity]]
id = "evil:<script>window.__pwned=1</script>"
type = "organization"
name = "Acme <b>Holdings</b>"
aliases = ["Acme Holdings"]
"""


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    shot = None
    if "--screenshot" in sys.argv:
        shot = Path(sys.argv[sys.argv.index("--screenshot") + 1]).resolve()
    gaztag = str(Path(os.environ.get("GAZTAG") or ROOT / "target/release/gaztag").resolve())
    work = Path(tempfile.mkdtemp())
    docs = work / "docs"
    docs.mkdir()
    for f in glob.glob(str(ROOT / "examples/articles/*.txt")):
        shutil.copy(f, docs)
    (docs / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    (docs / "acme.txt").write_text("Acme Holdings met Acme <b>Holdings</b> in Paris.", encoding="utf-8")
    (work / "gaz.toml").write_text(GAZ, encoding="utf-8")
    out = work / "out"
    report = work / "report.html"
    r = subprocess.run(
        [gaztag, "tag", "docs", "-g", "gaz.toml", "-o", "out", "--raw-csv", "--report", str(report), "-q"],
        cwd=work, capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stderr
    mentions = rows(out / "mentions.csv")
    documents = rows(out / "documents.csv")
    topics = rows(out / "topics.csv")

    opts = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--no-first-run", f"--user-data-dir={work / 'profile'}", "--window-size=1280,1800"]:
        opts.add_argument(a)
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=opts)
    try:
        driver.get(report.as_uri())
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors

        # Overview numbers equal those of the tables.
        total = lambda k: driver.find_element(By.CSS_SELECTOR, f'[data-total="{k}"] .num').text
        assert total("documents") == str(len(documents))
        assert total("ok") == str(sum(d["status"] == "ok" for d in documents))
        assert total("mentions") == str(len(mentions))
        assert total("entities") == str(len({(m["type"], m["entity_id"]) for m in mentions}))

        # Charts and map drawn.
        types = Counter(m["type"] for m in mentions)
        assert len(driver.find_elements(By.CSS_SELECTOR, "#chart-types rect.bar")) == len(types)
        topic_ids = {t["topic_id"] for t in topics}
        assert len(driver.find_elements(By.CSS_SELECTOR, "#chart-topics rect.bar.all")) == min(20, len(topic_ids))
        assert len(driver.find_elements(By.CSS_SELECTOR, "#map path")) > 150
        countries = {m["entity_id"] for m in mentions if m["type"] == "country"}
        shaded = {p.get_attribute("data-iso") for p in driver.find_elements(By.CSS_SELECTOR, "#map path.has")}
        assert shaded and shaded <= countries, (shaded, countries)
        assert driver.find_elements(By.CSS_SELECTOR, '#top-entities svg[data-type="country"] rect.bar')

        if shot:
            driver.set_window_size(1280, 1500)
            driver.find_element(By.ID, "overview").screenshot(str(shot))

        # Search, open each embedded document, check every highlight.
        search = driver.find_element(By.ID, "search")
        search.send_keys("imf-loan")
        visible = driver.find_elements(By.CSS_SELECTOR, "#doc-table tbody tr")
        assert len(visible) == 1, len(visible)
        search.send_keys(Keys.CONTROL, "a")
        search.send_keys(Keys.DELETE)
        for i, d in enumerate(documents):
            driver.execute_script("window.gaztagReport.openDoc(window.gaztagReport.data.docs[arguments[0]])", i)
            marks = driver.find_elements(By.CSS_SELECTOR, "#doc-text mark")
            want = [m["text"] for m in mentions if m["doc_id"] == d["doc_id"]]
            got = [driver.execute_script("return arguments[0].textContent", m) for m in marks]
            assert got == want, (d["doc_id"], got, want)
        # A mention's details, by keyboard.
        mark = driver.find_elements(By.CSS_SELECTOR, "#doc-text mark")[0]
        mark.send_keys(Keys.ENTER)
        assert "Entity id" in driver.find_element(By.ID, "panel").text

        # Hostile names and texts are text, and ran nothing.
        assert driver.execute_script("return window.__pwned === undefined")
        assert not driver.find_elements(By.CSS_SELECTOR, "#doc-table img, #doc-text b, #doc-text script, #panel b")
        page_text = driver.find_element(By.TAG_NAME, "body").text
        assert "<img src=x onerror=window.__pwned=1>.txt" in page_text
        hostile = [i for i, d in enumerate(documents) if HOSTILE_NAME in d["doc_id"]][0]
        driver.execute_script("window.gaztagReport.openDoc(window.gaztagReport.data.docs[arguments[0]])", hostile)
        assert "</script><script>window.__pwned=1</script>" in driver.find_element(By.ID, "doc-text").text
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
    finally:
        driver.quit()
    print(f"report test: ok ({len(documents)} documents, {len(mentions)} mentions; {report.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
