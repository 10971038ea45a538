//! `planc serve`: a local preview of the printable plans. Compiles the
//! repository, renders every page into memory, serves them on 127.0.0.1,
//! and, on every change to a file planc reads, recompiles what changed and
//! tells open pages to reload (server-sent events). A plan with errors is
//! previewed as a draft listing them.
//!
//! Served pages differ from built ones by one script only, added here and
//! never written to disk, which reloads the page on a change.

pub mod watch;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::compile::Session;
use crate::render;

/// Where open pages listen for changes.
const EVENTS: &str = "/_planc/events";
/// Open pages each hold a connection; more than this are refused.
const MAX_LISTENERS: usize = 64;
/// A comment sent this often finds connections whose page has gone.
const HEARTBEAT: Duration = Duration::from_secs(10);

const RELOAD_SCRIPT: &str = "<script>new EventSource(\"/_planc/events\")\
.addEventListener(\"reload\",function(){location.reload()})</script>";

/// What the server shows: the rendered pages, or why there are none.
pub struct Site {
    pub pages: BTreeMap<String, Vec<u8>>,
    /// A problem that stopped the whole compilation or rendering.
    pub failure: Option<String>,
    /// The summary line, as validate prints it.
    pub tally: String,
}

impl Site {
    /// Compiles (only what changed since the last time) and renders every
    /// HTML page, plans with errors as drafts.
    pub fn build(session: &mut Session, templates: Option<PathBuf>) -> Site {
        let mut compilation = match session.compile() {
            Ok(c) => c,
            Err(e) => return Site::failed(e.to_string()),
        };
        let diagnostics = std::mem::take(&mut compilation.diagnostics).into_sorted();
        let tally = crate::report::tally(&diagnostics, compilation.plans.len());
        let request = render::Request {
            formats: vec![render::Format::Html],
            progress: indicatif::ProgressBar::hidden(),
            templates: templates
                .or_else(|| render::templates::repository_templates(&compilation.root)),
            revision: Some("live preview".into()),
            preview: true,
        };
        match render::render(&compilation, &diagnostics, &request) {
            Ok(files) => Site {
                pages: files
                    .into_iter()
                    .map(|(path, bytes)| (path.to_string_lossy().into_owned(), bytes))
                    .collect(),
                failure: None,
                tally,
            },
            Err(e) => Site {
                tally,
                ..Site::failed(e.to_string())
            },
        }
    }

    fn failed(message: String) -> Site {
        Site {
            pages: BTreeMap::new(),
            failure: Some(message),
            tally: String::new(),
        }
    }

    /// The page at a URL path, with the reload script; `None` if there is
    /// no such page.
    fn page(&self, url: &str) -> Option<Vec<u8>> {
        if let Some(failure) = &self.failure {
            let text = format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>planc: \
                 cannot preview</title></head><body><main><h1>planc cannot preview the plans</h1>\
                 <pre>{}</pre><p>Fix the problem and save: this page updates by itself.</p>\
                 </main>{RELOAD_SCRIPT}</body></html>",
                render::inline::escape_html(failure)
            );
            return Some(text.into_bytes());
        }
        let name = match url.trim_start_matches('/') {
            "" => "index.html",
            name => name,
        };
        let page = self.pages.get(name)?;
        Some(with_reload_script(page))
    }
}

fn with_reload_script(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match text.rfind("</body>") {
        Some(at) => format!("{}{RELOAD_SCRIPT}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{RELOAD_SCRIPT}").into_bytes(),
    }
}

/// The site and how many times it has been rebuilt; listeners wait on it.
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    site: Arc<Site>,
    generation: u64,
    listeners: usize,
}

pub struct Options {
    /// Compiles the plans, with the run's settings.
    pub session: Session,
    /// The paths it compiles, to find the repository to watch.
    pub paths: Vec<PathBuf>,
    pub address: SocketAddr,
    pub templates: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {message}")]
    Listen {
        address: SocketAddr,
        message: String,
    },
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
}

/// Serves until the process is stopped. `on_ready` is told the address
/// actually listened on (a port of 0 picks a free one).
pub fn serve(options: Options, on_ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let mut session = options.session;
    let site = Site::build(&mut session, options.templates.clone());
    eprintln!("{}", site.tally);
    let server = tiny_http::Server::http(options.address).map_err(|e| ServeError::Listen {
        address: options.address,
        message: e.to_string(),
    })?;
    let address = server.server_addr().to_ip().unwrap_or(options.address);
    let root = crate::compile::repository_root(&options.paths);
    let watcher = watch::Watcher::new(&root)?;
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            site: Arc::new(site),
            generation: 0,
            listeners: 0,
        }),
        changed: Condvar::new(),
    });
    // Rebuild on every change, in the background.
    let rebuilder = Arc::clone(&shared);
    let templates = options.templates.clone();
    std::thread::spawn(move || {
        while let Some(paths) = watcher.next_change() {
            let started = std::time::Instant::now();
            let site = Site::build(&mut session, templates.clone());
            eprintln!(
                "planc: {} changed; recompiled {} plan{} in {} ms. {}",
                paths
                    .first()
                    .map(|p| crate::compile::display_path(p))
                    .unwrap_or_default(),
                session.recompiled,
                if session.recompiled == 1 { "" } else { "s" },
                started.elapsed().as_millis(),
                site.tally
            );
            let mut state = lock(&rebuilder.state);
            state.site = Arc::new(site);
            state.generation += 1;
            rebuilder.changed.notify_all();
        }
    });
    on_ready(address);
    for request in server.incoming_requests() {
        respond(request, &shared, address);
    }
    Ok(())
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // A panic elsewhere leaves the last site, still whole, to serve.
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| unreachable!("constant headers are valid"))
}

fn respond(request: tiny_http::Request, shared: &Arc<Shared>, address: SocketAddr) {
    use tiny_http::{Method, Response};
    // Only this machine's own names for the server: a page elsewhere
    // cannot reach it through a name of its own (DNS rebinding).
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase());
    let port = address.port();
    let allowed = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        address.to_string(),
    ];
    if !host.is_some_and(|h| allowed.contains(&h)) {
        let _ = request.respond(Response::from_string("forbidden host").with_status_code(403));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if path == EVENTS {
        listen(request, shared);
        return;
    }
    let site = Arc::clone(&lock(&shared.state).site);
    let response = match site.page(&path) {
        Some(bytes) => Response::from_data(bytes)
            .with_header(header("Content-Type", "text/html; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store")),
        None => Response::from_string("no such page: see / for every plan").with_status_code(404),
    };
    let _ = request.respond(response);
}

/// Holds an open page's event stream: `reload` after every rebuild.
fn listen(request: tiny_http::Request, shared: &Arc<Shared>) {
    let (mut seen, full) = {
        let mut state = lock(&shared.state);
        let full = state.listeners >= MAX_LISTENERS;
        if !full {
            state.listeners += 1;
        }
        (state.generation, full)
    };
    if full {
        let _ = request
            .respond(tiny_http::Response::from_string("too many open pages").with_status_code(503));
        return;
    }
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        let mut writer = request.into_writer();
        let mut send = |text: &str| {
            writer
                .write_all(text.as_bytes())
                .and_then(|()| writer.flush())
        };
        let mut open = send(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
             Connection: keep-alive\r\n\r\n: planc\n\n",
        )
        .is_ok();
        while open {
            let generation = {
                let state = lock(&shared.state);
                let (state, _) = shared
                    .changed
                    .wait_timeout_while(state, HEARTBEAT, |s| s.generation == seen)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                state.generation
            };
            open = if generation == seen {
                send(": still here\n\n").is_ok()
            } else {
                seen = generation;
                send(&format!("event: reload\ndata: {generation}\n\n")).is_ok()
            };
        }
        lock(&shared.state).listeners -= 1;
    });
}
