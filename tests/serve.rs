//! `planc serve` and `validate --watch`, driven as people use them: the
//! real binary on a copy of the bundled plans, files edited on disk, and
//! (when Chromium is installed) a real headless browser watching a page
//! update by itself.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

mod common;
use common::*;

/// A child process killed when dropped, with its stderr lines on a channel.
struct Running {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn start(mut command: Command) -> Running {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the process starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    /// The first line (from now) that contains `text`.
    fn wait_for(&self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!(
            "no line with {text:?} within {within:?}; saw:\n{}",
            seen.join("\n")
        );
    }
}

/// A copy of the bundled plans in a fresh directory.
fn repository() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("plans"),
        &temp.path().join("plans"),
    );
    temp
}

fn serve(dir: &Path) -> (Running, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_planc"));
    command
        .current_dir(dir)
        .args(["serve", "plans", "--port", "0", "--as-of", AS_OF]);
    let server = Running::start(command);
    let line = server.wait_for("serving the plans at", Duration::from_secs(60));
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a URL")
        .trim_end_matches('/')
        .to_string();
    (server, url)
}

/// A plain HTTP/1.0 request: status and body.
fn http(url: &str, method: &str, path: &str, host: Option<&str>) -> (u16, String) {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    let host = host.unwrap_or(address);
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_updates_open_pages_and_shows_errors_where_they_are() {
    let repo = repository();
    let (server, url) = serve(repo.path());
    let (status, index) = http(&url, "GET", "/", None);
    assert_eq!(status, 200);
    assert!(index.contains("county roll-up"), "{index}");
    // Served pages carry the one script that reloads them; built ones none.
    assert!(index.contains("/_planc/events"));
    let (status, page) = http(&url, "GET", "/druids-heath.html", None);
    assert_eq!(status, 200);
    assert!(page.contains("The Real Link – Druids Heath"));
    assert_eq!(http(&url, "GET", "/nothing.html", None).0, 404);
    assert_eq!(http(&url, "POST", "/", None).0, 405);
    // A page elsewhere cannot reach it through a name of its own.
    assert_eq!(http(&url, "GET", "/", Some("attacker.example:80")).0, 403);
    assert_eq!(http(&url, "GET", "/../../etc/passwd", None).0, 404);

    // An open page's event stream says `reload` after a save.
    let address = url.trim_start_matches("http://").to_string();
    let mut events = TcpStream::connect(&address).unwrap();
    write!(
        events,
        "GET /_planc/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut first = [0u8; 256];
    let n = events.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).contains("text/event-stream"));
    let plan = repo.path().join("plans/druids-heath/plan.yaml");
    edit(&plan, "amount: 11650", "amount: \"£11,65O\"");
    let mut received = String::new();
    let mut buffer = [0u8; 256];
    while !received.contains("event: reload") {
        let n = events
            .read(&mut buffer)
            .expect("an event before the timeout");
        assert!(n > 0, "the stream closed");
        received.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    server.wait_for("recompiled 1 plan", Duration::from_secs(20));
    // The plan with an error still previews, as a draft naming the place.
    let (_, page) = http(&url, "GET", "/druids-heath.html", None);
    let page = page.replace("&#x2f;", "/");
    assert!(page.contains("DRAFT"), "{page}");
    assert!(page.contains("plans/druids-heath/plan.yaml:51"), "{page}");
    assert!(page.contains("is not a clean amount of money"), "{page}");
}

#[test]
fn validate_watch_rechecks_after_a_save() {
    let repo = repository();
    let mut command = Command::new(env!("CARGO_BIN_EXE_planc"));
    command
        .current_dir(repo.path())
        .args(["validate", "--watch", "plans", "--as-of", AS_OF]);
    let watch = Running::start(command);
    watch.wait_for("0 errors", Duration::from_secs(60));
    watch.wait_for("watching for changes", Duration::from_secs(10));
    edit(
        &repo.path().join("plans/stoke-cluster-3/plan.yaml"),
        "id: stoke-cluster-3",
        "id: stoke-cluster-3\n  titel: typo",
    );
    let tally = watch.wait_for("in 4 plans", Duration::from_secs(20));
    assert!(tally.contains("1 error"), "{tally}");
}

/// Chromium, unless it is absent and the browser tests are not required.
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        assert!(
            std::env::var_os("PLANC_TEST_BROWSER").is_none(),
            "PLANC_TEST_BROWSER is set but no Chromium was found"
        );
        eprintln!("skipped: no Chromium (install it, or set PLANC_TEST_BROWSER=1 to require it)");
    }
    found
}

/// A page in headless Chromium, driven over the DevTools protocol.
struct Browser {
    _process: Running,
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn open(chromium: &Path, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut command = Command::new(chromium);
        command.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--remote-debugging-port=0",
            "--window-size=1280,900",
        ]);
        command.arg(format!("--user-data-dir={}", profile.path().display()));
        command.arg("about:blank");
        let process = Running::start(command);
        let line = process.wait_for("DevTools listening on", Duration::from_secs(60));
        let ws = line.split_whitespace().last().unwrap().to_string();
        let (socket, _) = tungstenite::connect(ws.as_str()).expect("DevTools connects");
        let mut browser = Browser {
            _process: process,
            socket,
            session: String::new(),
            next_id: 0,
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", serde_json::json!({ "url": url }));
        let target = target["targetId"].as_str().unwrap().to_string();
        let attached = browser.call(
            "Target.attachToTarget",
            serde_json::json!({ "targetId": target, "flatten": true }),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        browser
    }

    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.try_call(method, params)
            .unwrap_or_else(|error| panic!("{method}: {error}"))
    }

    /// A call that may fail, as an evaluation does when the page reloads
    /// under it.
    fn try_call(
        &mut self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = serde_json::json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = self.session.clone().into();
        }
        self.socket
            .send(tungstenite::Message::text(message.to_string()))
            .unwrap();
        loop {
            let reply = self.socket.read().expect("DevTools answers");
            let Ok(text) = reply.to_text() else { continue };
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            if value["id"] == id {
                return match value["error"].is_null() {
                    true => Ok(value["result"].clone()),
                    false => Err(value),
                };
            }
        }
    }

    /// The page's visible text.
    fn text(&mut self) -> String {
        let result = self.try_call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": "document.body ? document.body.innerText : ''", "returnByValue": true }),
        );
        let Ok(result) = result else {
            return String::new();
        };
        result["result"]["value"].as_str().unwrap_or("").to_string()
    }

    fn wait_for_text(&mut self, text: &str, within: Duration) -> Duration {
        let start = Instant::now();
        while start.elapsed() < within {
            if self.text().contains(text) {
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the page never showed {text:?}:\n{}", self.text());
    }

    fn screenshot(&mut self, path: &Path) {
        use base64::Engine as _;
        let _ = self.try_call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": "window.scrollTo(0, 0)" }),
        );
        let shot = self.call(
            "Page.captureScreenshot",
            serde_json::json!({ "format": "png" }),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        fs::write(path, png).unwrap();
    }
}

#[test]
fn an_open_page_in_a_browser_updates_itself_after_a_save() {
    let Some(chromium) = chromium() else { return };
    let repo = repository();
    let (server, url) = serve(repo.path());
    let mut browser = Browser::open(&chromium, &format!("{url}/druids-heath.html"));
    browser.wait_for_text("The Real Link – Druids Heath", Duration::from_secs(30));
    let plan = repo.path().join("plans/druids-heath/plan.yaml");
    let saved = Instant::now();
    edit(
        &plan,
        "name: The Real Link – Druids Heath",
        "name: The Real Link – Druids Heath (edited)",
    );
    browser.wait_for_text("Druids Heath (edited)", Duration::from_secs(20));
    let updated = saved.elapsed();
    server.wait_for("recompiled 1 plan", Duration::from_secs(5));
    // An error shows on the page, with where it is, and the page still
    // previews the plan.
    edit(&plan, "amount: 11650", "amount: \"£11,65O\"");
    browser.wait_for_text("This plan has 1 error", Duration::from_secs(20));
    let text = browser.text();
    assert!(text.contains("plans/druids-heath/plan.yaml:51"), "{text}");
    // A problem in an activity shows beside the activity too.
    edit(
        &repo.path().join("plans/druids-heath/2-healthy.yaml"),
        "cost: 1170",
        "cost: 1170 pounds",
    );
    browser.wait_for_text("This plan has 2 errors", Duration::from_secs(20));
    // Polled: a save may reload the page more than once.
    let mut beside = String::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) && !beside.contains("1170 pounds") {
        let found = browser.try_call(
            "Runtime.evaluate",
            serde_json::json!({
                "expression": "[...document.querySelectorAll('ul.problems li.error')].map(e => e.closest('tr').innerText).join('\\n')",
                "returnByValue": true
            }),
        );
        beside = found.map_or_else(
            |_| String::new(),
            |f| f["result"]["value"].as_str().unwrap_or("").to_string(),
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        beside.contains("`1170 pounds` is not a clean amount of money")
            && beside.contains("plans/druids-heath/2-healthy.yaml:37"),
        "{beside}"
    );
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    browser.screenshot(&shots.join("serve-draft.png"));
    let _ = browser.try_call(
        "Runtime.evaluate",
        serde_json::json!({ "expression": "document.querySelector('ul.problems li.error').scrollIntoView()" }),
    );
    let shot = browser.call(
        "Page.captureScreenshot",
        serde_json::json!({ "format": "png" }),
    );
    {
        use base64::Engine as _;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        fs::write(shots.join("serve-in-place.png"), png).unwrap();
    }
    eprintln!(
        "the open page showed the edit {} ms after the save; screenshot: {}",
        updated.as_millis(),
        shots.join("serve-draft.png").display()
    );
}
