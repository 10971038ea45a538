//! The built pages as people read them: every page of the bundled plans,
//! and the plan with every field with Markdown headings in its free text, is
//! opened in headless Chromium at 1280 and at 320 CSS pixels wide, and
//! axe-core checks it against WCAG 2.0 and 2.1, levels A and AA (and a few
//! of its best practices: headings, landmarks). At 320 px the page must also
//! be no wider than the window: wide tables scroll inside themselves instead
//! of pushing the page sideways. Amounts stay on one line, chart text keeps
//! its size and is never cut, and no heading skips a level.
//!
//! Chromium is driven over the DevTools protocol on a pipe
//! (`--remote-debugging-pipe`), which sets the viewport exactly (a headless
//! window is never narrower than 500 px) and runs axe in the page without
//! changing the file: the built pages carry no script and keep none.
//!
//! Needs `chromium` (or `$PLANC_CHROMIUM`) and axe-core, installed by
//! `scripts/install-axe.sh` into `target/axe` (or `$PLANC_AXE_DIR`). Without
//! them the test says so and passes, unless `PLANC_TEST_BROWSER=1`, as in
//! CI, where it fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Widths in CSS pixels: a desktop window, and the narrowest phone (what a
/// 1280 px window shows at 400% zoom).
const WIDTHS: [u32; 2] = [1280, 320];
const HEIGHT: u32 = 900;
/// The whole run, all pages at all widths, is stopped past this.
const TIME_LIMIT: Duration = Duration::from_secs(600);
const AXE_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/// axe's rules beyond WCAG's letter that the pages keep too: headings
/// without a skipped level, one `<main>`, one `<h1>`, everything inside a
/// landmark.
const AXE_BEST_PRACTICES: [&str; 4] = [
    "heading-order",
    "landmark-one-main",
    "page-has-heading-one",
    "region",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Says why the test cannot run: a failure when the browser test is
/// required, otherwise a message (written past the test harness's capture,
/// so that it is seen) and a pass.
fn unavailable(why: &str) {
    let required = std::env::var("PLANC_TEST_BROWSER").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "PLANC_TEST_BROWSER=1 but {why}: install Chromium and run scripts/install-axe.sh"
    );
    let _ = writeln!(
        std::io::stderr(),
        "accessibility test skipped: {why} (install Chromium and run scripts/install-axe.sh; \
         PLANC_TEST_BROWSER=1 makes this a failure)"
    );
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PLANC_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn find_axe() -> PathBuf {
    let dir = std::env::var_os("PLANC_AXE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/axe"));
    let dir = if dir.is_absolute() {
        dir
    } else {
        root().join(dir)
    };
    dir.join("node_modules/axe-core/axe.min.js")
}

/// A headless Chromium spoken to over the DevTools protocol: JSON messages,
/// each ended by a NUL byte, written to its fd 3 and read from its fd 4.
struct Browser {
    child: Child,
    to: std::io::PipeWriter,
    from: BufReader<std::io::PipeReader>,
    next_id: u64,
    done: Arc<AtomicBool>,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(chromium: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let (child_reads, to) = std::io::pipe().unwrap();
        let (from, child_writes) = std::io::pipe().unwrap();
        let (read_fd, write_fd) = (child_reads.as_raw_fd(), child_writes.as_raw_fd());
        let mut command = Command::new(chromium);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: between fork and exec only async-signal-safe calls
        // (fcntl, dup2, close) are made, on descriptors this process owns.
        unsafe {
            command.pre_exec(move || {
                // First out of the way of 3 and 4 (either end may be one of
                // them), then onto them, without close-on-exec.
                let high_read = libc::fcntl(read_fd, libc::F_DUPFD, 10);
                let high_write = libc::fcntl(write_fd, libc::F_DUPFD, 10);
                if high_read == -1
                    || high_write == -1
                    || libc::dup2(high_read, 3) == -1
                    || libc::dup2(high_write, 4) == -1
                {
                    return Err(std::io::Error::last_os_error());
                }
                libc::close(high_read);
                libc::close(high_write);
                Ok(())
            });
        }
        let child = command.spawn().expect("chromium starts");
        drop(child_reads);
        drop(child_writes);
        // A browser that hangs is killed, which ends the reads below.
        let done = Arc::new(AtomicBool::new(false));
        let (pid, watch) = (child.id() as libc::pid_t, done.clone());
        std::thread::spawn(move || {
            let start = Instant::now();
            while !watch.load(Ordering::Relaxed) {
                if start.elapsed() > TIME_LIMIT {
                    // SAFETY: a plain signal to the child this test started.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    return;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        Browser {
            child,
            to,
            from: BufReader::new(from),
            next_id: 0,
            done,
            _profile: profile,
        }
    }

    /// Sends one command and returns its result, passing over the events
    /// that come before it.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to
            .write_all(&bytes)
            .unwrap_or_else(|e| panic!("sending {method} to chromium: {e}"));
        loop {
            let mut reply = Vec::new();
            let n = self.from.read_until(0, &mut reply).unwrap();
            assert!(
                n > 0 && reply.last() == Some(&0),
                "chromium closed the pipe (crashed or timed out) waiting for {method}"
            );
            reply.pop();
            let reply: Value = serde_json::from_slice(&reply).unwrap();
            if reply["id"] != json!(id) {
                continue;
            }
            if let Some(error) = reply.get("error") {
                panic!("{method}: {error}");
            }
            return reply["result"].clone();
        }
    }

    /// A JavaScript expression's value in the page, awaited if a promise.
    fn evaluate(&mut self, session: &str, expression: &str) -> Value {
        let result = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{exception}");
        }
        result["result"]["value"].clone()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What axe and the page's size say about one page at one width.
struct Check {
    page: String,
    width: u32,
    inner_width: u64,
    scroll_width: u64,
    violations: Vec<Value>,
    /// Amounts broken over lines, chart text shrunk or cut, tables that
    /// cannot scroll.
    unreadable: Vec<Value>,
}

fn check_page(browser: &mut Browser, session: &str, axe: &str, url: &str, width: u32) -> Value {
    browser.call(
        Some(session),
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": false }),
    );
    let navigation = browser.call(Some(session), "Page.navigate", json!({ "url": url }));
    assert!(
        navigation.get("errorText").is_none(),
        "opening {url}: {navigation}"
    );
    let start = Instant::now();
    while browser.evaluate(session, "document.readyState") != json!("complete")
        || browser.evaluate(session, "location.protocol") != json!("file:")
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{url} never loaded"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        browser.evaluate(session, "typeof axe"),
        json!("undefined"),
        "{url} must carry no script of its own"
    );
    browser.evaluate(session, axe);
    let tags = serde_json::to_string(&AXE_TAGS).unwrap();
    let extra = serde_json::to_string(&AXE_BEST_PRACTICES).unwrap();
    browser.evaluate(
        session,
        &format!(
            "(async () => {{
                const size = {{ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }};
                const r = await axe.run(document, {{
                    runOnly: {{ type: 'tag', values: {tags} }},
                    rules: Object.fromEntries({extra}.map(id => [id, {{ enabled: true }}])),
                    resultTypes: ['violations'],
                }});
                const unreadable = [];
                const name = el => el.outerHTML.slice(0, 160);
                for (const el of document.querySelectorAll('.amount, .figure')) {{
                    if (el.getClientRects().length > 1) unreadable.push('an amount broken over lines: ' + name(el));
                }}
                for (const el of document.querySelectorAll('.chart-label, .chart-value, .chart figcaption')) {{
                    const px = parseFloat(getComputedStyle(el).fontSize);
                    if (px < 12) unreadable.push(px + ' px chart text: ' + name(el));
                    if (el.scrollWidth > el.clientWidth + 1) unreadable.push('chart text cut: ' + name(el));
                }}
                let level = 0;
                for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {{
                    const next = Number(h.tagName[1]);
                    if (next > level + 1) unreadable.push('a heading skips a level (h' + level + ' to h' + next + '): ' + name(h));
                    level = next;
                }}
                for (const el of document.querySelectorAll('svg text')) {{
                    const px = el.getBoundingClientRect().height;
                    if (px < 12) unreadable.push('SVG text drawn ' + px.toFixed(1) + ' px high: ' + name(el));
                }}
                for (const el of document.querySelectorAll('table')) {{
                    const box = el.parentElement;
                    if (el.closest('.trace-lines, details') || box.classList.contains('table-scroll')) continue;
                    unreadable.push('a table that cannot scroll inside itself: ' + name(el));
                }}
                return {{
                    ...size,
                    unreadable,
                    violations: r.violations.map(v => ({{
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160)),
                    }})),
                }};
            }})()"
        ),
    )
}

/// Builds the plans at `plans` (relative to `dir`) into `out`.
fn build(dir: &Path, plans: &Path, out: &Path) {
    let build = Command::new(env!("CARGO_BIN_EXE_planc"))
        .current_dir(dir)
        .arg("build")
        .arg(plans)
        .arg("--out")
        .arg(out)
        .args(["--revision", "test", "--as-of", "2008-06-30"])
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

fn html_pages(out: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_page_passes_axe_at_desktop_and_phone_widths_without_scrolling_sideways() {
    let Some(chromium) = find_chromium() else {
        return unavailable("chromium is not installed");
    };
    let axe_path = find_axe();
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        return unavailable(&format!("axe-core is not at {}", axe_path.display()));
    };

    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    build(root(), Path::new("plans"), &out);
    let mut pages = html_pages(&out);
    // The index and the four bundled plans.
    assert_eq!(pages.len(), 5, "{pages:?}");

    // Free text with Markdown headings, in every place a template shows
    // it: the plan with every field, its text given headings of every level,
    // some skipping one.
    let every = temp.path().join("every-field");
    std::fs::create_dir(&every).unwrap();
    std::fs::copy(
        root().join("tests/every-field/planc.toml"),
        every.join("planc.toml"),
    )
    .unwrap();
    let mut plan = std::fs::read_to_string(root().join("tests/every-field/plan.yaml")).unwrap();
    for (field, text) in [
        (
            "summary: A summary.",
            "# Aims\\n\\nA summary.\\n\\n### In detail\\n\\nMore.",
        ),
        ("monitoring: Termly reports.", "## Reports\\n\\nTermly."),
        (
            "description: Health work.",
            "# Context\\n\\nHealth.\\n\\n#### Deeper\\n\\nText.",
        ),
        (
            "description: Clubs.",
            "# Clubs\\n\\nAfter school.\\n\\n## When\\n\\nWeekly.",
        ),
    ] {
        assert!(plan.contains(field), "tests/every-field/plan.yaml: {field}");
        let key = field.split(':').next().unwrap();
        plan = plan.replace(field, &format!("{key}: \"{text}\""));
    }
    std::fs::write(every.join("plan.yaml"), plan).unwrap();
    let every_out = temp.path().join("every-field-out");
    build(&every, Path::new("."), &every_out);
    let page = every_out.join("every-field.html");
    let html = std::fs::read_to_string(&page).unwrap();
    for heading in [
        "<h3>Aims</h3>",
        "<h4>In detail</h4>",
        "<h4>Reports</h4>",
        "<h3>Context</h3>",
        "<h4>Deeper</h4>",
        "<h4>Clubs</h4>",
        "<h5>When</h5>",
    ] {
        assert!(html.contains(heading), "every-field.html has no {heading}");
    }
    pages.push(page);

    let mut browser = Browser::launch(&chromium);
    let target = browser.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
    let target_id = target["targetId"].as_str().unwrap().to_string();
    let attached = browser.call(
        None,
        "Target.attachToTarget",
        json!({ "targetId": target_id, "flatten": true }),
    );
    let session = attached["sessionId"].as_str().unwrap().to_string();
    browser.call(Some(&session), "Page.enable", json!({}));

    let mut checks = Vec::new();
    for page in &pages {
        let mut file = String::new();
        std::fs::File::open(page)
            .unwrap()
            .read_to_string(&mut file)
            .unwrap();
        assert!(!file.contains("<script"), "{} has a script", page.display());
        let url = format!("file://{}", page.display());
        for width in WIDTHS {
            let result = check_page(&mut browser, &session, &axe, &url, width);
            checks.push(Check {
                page: page.file_name().unwrap().to_string_lossy().into_owned(),
                width,
                inner_width: result["inner"].as_u64().unwrap(),
                scroll_width: result["scroll"].as_u64().unwrap(),
                violations: result["violations"].as_array().unwrap().clone(),
                unreadable: result["unreadable"].as_array().unwrap().clone(),
            });
        }
    }

    let mut failures = Vec::new();
    for c in &checks {
        let _ = writeln!(
            std::io::stderr(),
            "{} at {} px: {} axe violation{}, document {} px wide in a {} px window",
            c.page,
            c.width,
            c.violations.len(),
            if c.violations.len() == 1 { "" } else { "s" },
            c.scroll_width,
            c.inner_width
        );
        assert_eq!(
            c.inner_width,
            u64::from(c.width),
            "{}: the window is not the width asked for",
            c.page
        );
        for v in &c.violations {
            let nodes = v["nodes"].as_array().unwrap();
            let mut text = format!(
                "{} at {} px: {} ({}, {}), {} element{}:",
                c.page,
                c.width,
                v["id"].as_str().unwrap_or(""),
                v["impact"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or(""),
                nodes.len(),
                if nodes.len() == 1 { "" } else { "s" }
            );
            for n in nodes.iter().take(5) {
                text.push_str(&format!("\n    {}", n.as_str().unwrap_or("")));
            }
            failures.push(text);
        }
        for u in &c.unreadable {
            failures.push(format!(
                "{} at {} px: {}",
                c.page,
                c.width,
                u.as_str().unwrap_or("")
            ));
        }
        if c.scroll_width > c.inner_width {
            failures.push(format!(
                "{} at {} px: the document is {} px wide, wider than the window: \
                 something pushes the page sideways instead of scrolling inside itself",
                c.page, c.width, c.scroll_width
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
